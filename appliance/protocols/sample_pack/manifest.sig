{
  "key_id": "e3558886e99a2fd5",
  "signature": "l064y/EgfTt/qGN28CIpy/xHtojAkE08B45aoLq2cb+RFgYB1MzEw+pR2wwO4fuF6oJiwwgCCesXwI6QoQjXAw=="
}
