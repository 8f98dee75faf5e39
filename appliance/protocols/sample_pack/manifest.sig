{
  "key_id": "e3558886e99a2fd5",
  "signature": "0LhF/jaWcOMN7Npe63t+cHdCR6b9Q5qUlQ5/UL//9um0/yXE0l9zTrP2wazEzCy4A+m7+wAWsSu7cJWr2kQYDg=="
}
