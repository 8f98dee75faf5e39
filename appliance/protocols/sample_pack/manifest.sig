{
  "key_id": "e3558886e99a2fd5",
  "signature": "apNk/Rk6LvEJQ/AebMq9IUhs+woufqbTe/WXZzzCHvw4rTbn597GUdyN7OYkR+im1aMmXySCLWJIaxo5nNgEAw=="
}
