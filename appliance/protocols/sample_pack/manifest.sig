{
  "key_id": "e3558886e99a2fd5",
  "signature": "Gn7ZbshPN0PSDR655+NJdiVRAsDlXjXw3LdUEKzYEgQhxNlpTZkGsvjJUko5a4rpJvEv9BacDgiPbqoqITT4Bg=="
}
