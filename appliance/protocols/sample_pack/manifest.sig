{
  "key_id": "e3558886e99a2fd5",
  "signature": "MQUgYuMJ3lKJyM3AloakjrUAXeFbgnhaymY+uKBriDodcSjuHs1BNtLxGXs86FP+rDHOo6yLXMI54QnX0NmbDw=="
}
