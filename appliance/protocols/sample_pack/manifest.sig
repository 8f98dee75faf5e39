{
  "key_id": "e3558886e99a2fd5",
  "signature": "qlW3MaR3Kt9QugjrSAGB8/SUqVJjy5rQXnfWZt3b/QFRDDM4GW0PFAf4+jXNcKxCjy88IHcuuxq00v8R9X9NBA=="
}
