{
  "key_id": "e3558886e99a2fd5",
  "signature": "WtebpA8WytyNXJwYG374Vqrie16V1W5B7l3v901GHXaRT9Ir5dolNbS+XU0RN6X0D+l/JQYZ9m2gG5+R/8O3AA=="
}
