{
  "key_id": "e3558886e99a2fd5",
  "signature": "mgdhleQb8azUBQ9jK4H9SC2Gs/LRtWhnd9PZa7lk+isJwbil5KE3R4A6NhWqenavJrT1rCX29T5yPLCArjjbDw=="
}
