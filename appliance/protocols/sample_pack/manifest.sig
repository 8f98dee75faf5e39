{
  "key_id": "e3558886e99a2fd5",
  "signature": "BJvC26l6x71AQ8Tz2FnQlOLjq6y5JA/EuhiE9hvOrOSjfVEZljvkj9rZj9hlKqRxv8AUYigA9jWc5co7v/jNAA=="
}
