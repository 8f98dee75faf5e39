{
  "key_id": "e3558886e99a2fd5",
  "signature": "2Iqs6q9WC9RYFJzkcKPassHkLRA+5QNfanaKOtzwgOAwo6SmiTQyiGvkdt5+C/ZhMiviV0lH1DLpo79dGaLcAg=="
}
