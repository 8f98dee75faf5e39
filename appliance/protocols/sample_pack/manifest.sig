{
  "key_id": "e3558886e99a2fd5",
  "signature": "+vS7/DzxsfD8Txpv7g/zoXTQTlaTTfGgKfOoNng6d6QX2hb1bh5VHuRbvAyZa25bKvEkDKKVvREPpUbGV+B9CA=="
}
