{
  "key_id": "e3558886e99a2fd5",
  "signature": "FCG6L8UmCjuoMqXfTwAv4E2Yk4gVxgJ9jKS507RWXguUOwd0sdY9BDPbsUuGO22xY22Ccmw8pEPP4tjRIQgZBw=="
}
