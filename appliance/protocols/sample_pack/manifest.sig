{
  "key_id": "e3558886e99a2fd5",
  "signature": "4cCy2U94YMMGtihwjNaHWm5M2yO4lXvHL+f8aUbAq8ZBlIutZpMDpmKYtlPui4RRoXt6N0YG7Fuf9CdI11prAA=="
}
