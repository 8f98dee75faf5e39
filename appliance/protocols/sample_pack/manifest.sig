{
  "key_id": "e3558886e99a2fd5",
  "signature": "ATXb1mXsSiqCvmoOCM0LN84mBetnIqIQLm/fUJWTKAxFWBwgCEk+NgSU954Zg78dUBPzAa5sY4lLz4wwyFGYAQ=="
}
