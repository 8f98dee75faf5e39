{
  "key_id": "e3558886e99a2fd5",
  "signature": "XZHsKr4jNdLbbITszuLcU6nQ11uqnuegzSlfcAxsAd0xjjP9Anjj33KBWI1qZ2GTZ6pWOJNeVuNPCFR4m5qdAg=="
}
