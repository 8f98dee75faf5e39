{
  "key_id": "e3558886e99a2fd5",
  "signature": "5SVbOy4YwIWMQWDM73QeHg8F8XLMQ+Sg2JEsdpF4UrmWolW+EyPa2qb4PCKqpoFJXA2FEnEeZX4fzgisJoBJAA=="
}
