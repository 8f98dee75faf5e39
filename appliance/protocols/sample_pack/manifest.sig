{
  "key_id": "e3558886e99a2fd5",
  "signature": "ahNFD52FVgYDBQ7bS4ahJjc2s8ch7sQxesjK7iWo9mgay4rA5ckHvU6fDTbgbMUOwiGQuOamrFfwifkjpSbfDQ=="
}
