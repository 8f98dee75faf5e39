{
  "key_id": "e3558886e99a2fd5",
  "signature": "d7yrJjkSFi4/QWkSew7NKolejpNYjCnf7Z320eJ4gs+geCzVfJ0FSFNBlEpofWWLpxey/S5LL0yfonpNc0pnCA=="
}
