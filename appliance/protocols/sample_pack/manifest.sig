{
  "key_id": "e3558886e99a2fd5",
  "signature": "3qynSFzqzxeO+bea028dOM5lfqovjUEmW9MVhLFSJxLHo9PosKK0RdlfEkfCGEl/DLRTgSJeciXdJv+Y9uKOBQ=="
}
