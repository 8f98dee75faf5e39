{
  "key_id": "e3558886e99a2fd5",
  "signature": "oKsKIYv2hUDe+DuYz0Ydw0i3Ds1ZHaB1tOtN7nh+PzEXXs73svFVWqEaG9ZSuSvfffxhJ0eFqFjnzpGuBB5UBg=="
}
