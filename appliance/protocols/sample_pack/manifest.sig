{
  "key_id": "e3558886e99a2fd5",
  "signature": "c2R1EhGx6Tynnp1Gyn+9Drz3tvgCknfa6psGWk9o7CNbkIbofPnii3btjbMNthc10aS9bS9+b6H2aeEz4dcUAQ=="
}
