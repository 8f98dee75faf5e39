{
  "key_id": "e3558886e99a2fd5",
  "signature": "vasdyhu01kGG99TYwROEy/5sYM0QoI8xYqUu9XTEEt5LcslrY0fqgJ539O28kmKfqWz/1cmpuLMikTQGmgeRDw=="
}
