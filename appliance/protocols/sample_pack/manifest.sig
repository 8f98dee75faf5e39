{
  "key_id": "e3558886e99a2fd5",
  "signature": "BtkwasC/jZfyQv5NSJwHCPMdkhWQiHweuNbf0ihZ3Dc6V4AFTAVptKX1cFbyw6XOv3w7oYj0TCMo3ZIlpikUAg=="
}
