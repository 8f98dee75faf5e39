{
  "key_id": "e3558886e99a2fd5",
  "signature": "KTNpit8mW2G8dDxgKJHddKgLYQIFsiOyWNxnqUpzCDnV5Dr88ukOtZSTOd6dBvNB529SNN+kraymKwf1SHu/CA=="
}
