{
  "key_id": "e3558886e99a2fd5",
  "signature": "d8JECP/MnR5Vt53Kkrqe6kfJfYEb+1ZLohFy9z/0VJosbxWGvc/m7otygfkFCGXt1LNuFfygdsPouO+4U/bIDQ=="
}
