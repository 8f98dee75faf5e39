{
  "key_id": "e3558886e99a2fd5",
  "signature": "TwyoNH/3j39VPf/e76VXIc4V6oBQjK5SoVO1HlpWSxu78NrV5cTh0j3pcWDlAa7O6dYlj2Ba7aHqv4BVPTm6Aw=="
}
