{
  "key_id": "e3558886e99a2fd5",
  "signature": "mA0hnp2i63cjQVgX4HTS+1k6Y6oE7GlOGkZLMY685k4pb/8zCAWwNrQQYgbCcdAKO4IqHL9H4U32f166XyWNCg=="
}
