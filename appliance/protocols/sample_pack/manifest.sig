{
  "key_id": "e3558886e99a2fd5",
  "signature": "HDXaB9rc6RB8RbPKbKc1mB/h9aYgEfnBgcVidvT9j/RlxDCr4yUAg79xtjF7kp5HQHT00DPNyTpPIDlv+5azAQ=="
}
