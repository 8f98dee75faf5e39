{
  "key_id": "e3558886e99a2fd5",
  "signature": "8PGIPUpW797cAoPrHVDYSiBJ7XnLkKAel08oeL+E3VW0H7fVFvSm7n91ihxpb6oICALOf1D1VzL6b28dgC8GDA=="
}
