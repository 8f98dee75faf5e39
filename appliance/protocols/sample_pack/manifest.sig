{
  "key_id": "e3558886e99a2fd5",
  "signature": "5z8HyYP775KA1z1KSauWJ4bPN3BgG7ua2dZGqMxMCW/DjprD3KWKExH8glibyBRmmxrgVy9GHsU7ZET9WOylBw=="
}
