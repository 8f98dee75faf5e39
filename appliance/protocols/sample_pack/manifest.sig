{
  "key_id": "e3558886e99a2fd5",
  "signature": "b6hCPPEEHQ6KceMLfgLfqKKpN9gqqt9ulJDOKeKSgrZzalsNJoZ2XBb2uJs89gftvZtjiRfINYY2+aUZQT/aDw=="
}
