{
  "key_id": "e3558886e99a2fd5",
  "signature": "5jVbwuYNOIO4XVSQQmYqGBAkhawbqo3lLCn9esod7Ht+EUORuVjq7h6mH3WQNhB5rOdKzJEOHO5bVopqEF5wDw=="
}
