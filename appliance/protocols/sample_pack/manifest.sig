{
  "key_id": "e3558886e99a2fd5",
  "signature": "MGLGh+L4DaiyK66ychWUpIi4RbiWK6UyWCGgvzha5oynADIkz1tQ0abjQQJPzzytMgnGPxshg0wJdb7qUcbcAg=="
}
