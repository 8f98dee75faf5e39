{
  "key_id": "e3558886e99a2fd5",
  "signature": "yT6KG7psfPQNPFJQNRytd3tK3Uo+dzYnlipIRzYhEb9gMX3qIaJbdimGciUocf5eQp3+coKzrr9kbc9YGx0QCg=="
}
