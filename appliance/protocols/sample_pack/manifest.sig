{
  "key_id": "e3558886e99a2fd5",
  "signature": "m+MWaw4bHX6a2qx7rfxkO5QTNhfWBh5xthNos4NVAAwTGfu+3SVxiKOzfyr3LRkLeeYYVsMQ5X8/TExfDmbaCg=="
}
