{
  "key_id": "e3558886e99a2fd5",
  "signature": "tSrgOA01ETKlwyxMMLi+otjGSwOUWCQ7/48fA82rKQSV6ja/4a2Bf3gH7qxzxBFPZqmLemG9QM0/3kMH5NplCA=="
}
