{
  "key_id": "e3558886e99a2fd5",
  "signature": "8piiXaoiKy7jAz5VpiWe9bBVvjXB8b1kxJMi/tw8+gffMP6qwCGYvHy2kteCVQAIW6Sk8ihXncMdfjvHZtxvBw=="
}
