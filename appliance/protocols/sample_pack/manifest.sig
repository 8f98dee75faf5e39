{
  "key_id": "e3558886e99a2fd5",
  "signature": "0K6GaKssIVgcW3kM//bWGQYjR57bTh+kaoIT1Vwd+oR7JsL31hsAatTL7aa5IvRiau3YupeVPZbquI+fFbcEDQ=="
}
