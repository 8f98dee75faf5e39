{
  "key_id": "e3558886e99a2fd5",
  "signature": "KpcnxHbXZDw0t2QXOgW6AfyalUJyyr7SLyMnmWtESe4TNIgQ5gKWoH2UavgEI6zstvNFOQBn3urihjT/Va7tBg=="
}
