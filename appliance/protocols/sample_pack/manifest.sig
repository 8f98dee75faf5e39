{
  "key_id": "e3558886e99a2fd5",
  "signature": "GUZJQvdXxEhOgxS8/V+XEFLqhfD1MNsCR5ZQJ8eUqk4FIaX0HX4KIE3UblxtGE7Qvum7GmMWBmTs2gNd0gy5CQ=="
}
