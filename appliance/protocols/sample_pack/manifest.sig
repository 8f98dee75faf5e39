{
  "key_id": "e3558886e99a2fd5",
  "signature": "649BNHBx3ByTfGBUAYWgzI4KjVH2bXKoSC7h6rjofHpWrKDZdEmyP1qkKqEC4619k0x1moFfIoM+93VCZIncCw=="
}
