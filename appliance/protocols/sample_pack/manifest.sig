{
  "key_id": "e3558886e99a2fd5",
  "signature": "5442bWvsO41MEgMmzDxe18z1bqvfblyMkCJN/abMXxH5y56cdIaWQsEVCya6oRKlQPltYCpdRvQIZ3YiK32/Aw=="
}
