{
  "key_id": "e3558886e99a2fd5",
  "signature": "ct2MQ+g5LPXGTRh6UKXMKMHpGhIG8tvFiTzL8wyu4HZpdETUYCSsAaWB8OxUK+uVx4+JU8IX4d0ruN01cHKNAQ=="
}
