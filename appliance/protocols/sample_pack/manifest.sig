{
  "key_id": "e3558886e99a2fd5",
  "signature": "yBkoi5RwaSqi1SdoJz2MeweyB5svpedrySbfn9E5UDlvx27/6exQmIaJrIbIgqBtUhqwR1ybLeOMXZ6hhfAKBA=="
}
