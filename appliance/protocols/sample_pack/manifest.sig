{
  "key_id": "e3558886e99a2fd5",
  "signature": "pIYIPuOHq/w3amIWg7dJZSd9AZjxbfF1da4rk5UFQb0664Qve7eVJS2bjxlybbyzl3zTqZnUlUGEk9k74XoNBg=="
}
