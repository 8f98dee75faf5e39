{
  "key_id": "e3558886e99a2fd5",
  "signature": "GiZYItmqAShJDsJEx/IehBou2gGQl1nINlxhwAXsdyqsrMxR2fnWBJjnfM42x5bdsAoY/WGlMfo0EPQrKpmaCQ=="
}
