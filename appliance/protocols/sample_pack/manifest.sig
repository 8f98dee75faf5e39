{
  "key_id": "e3558886e99a2fd5",
  "signature": "YjXFh6VJ2cN1w28kh1UjUFMW+ktHkN5WmNoRdd8LQgKjtEuwUJRAYBBX1ClngsLhOVYgKsGiWipYu67Kjhp2DA=="
}
