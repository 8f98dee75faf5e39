{
  "key_id": "e3558886e99a2fd5",
  "signature": "9R6m0qYid2y+jGIHJEDtuiiRw8dMwWSFRhkGqAQQo6a68oOSLUZ4+1jvbfGeZiGd9KuWVbbdLWUr6q86rsHhBA=="
}
