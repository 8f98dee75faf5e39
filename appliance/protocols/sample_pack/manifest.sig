{
  "key_id": "e3558886e99a2fd5",
  "signature": "X3o7MQfGwqx06BgeA/G7AdF/TAqxbD1TPygkAW/3MrEALmvJLPUrp6bukRWvhExNxdce3vbytQf5r/4eIDsABA=="
}
