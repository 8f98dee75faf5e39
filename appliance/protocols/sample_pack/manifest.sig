{
  "key_id": "e3558886e99a2fd5",
  "signature": "oeWFIfpV1v56dO/sqyGrKYxVfGbIx6DRfkxxKi2Gi/G589nhXyJQ8Sh1Wana7ajp9ciI+uYNTRY/wJZme/TzCA=="
}
