{
  "key_id": "e3558886e99a2fd5",
  "signature": "2LGMyJJhSrlADN9ZGAaUpHLZAMUtxFv58cgCcxEsAcEL8URgsvEdhgH0/9xTbTcxhoRAjolfiEuk1zbo1Ov3CA=="
}
