{
  "key_id": "e3558886e99a2fd5",
  "signature": "uHsfA/gMgfDNIPOU5DeMyZu7fkRyjuffeF8M/mBDSO9uTHGjzZZ76H8oC/DyW5afZBnEPV0gPiy/w/1yL8a3AA=="
}
