{
  "key_id": "e3558886e99a2fd5",
  "signature": "jd27IggIgZEMVYoZk+GZ/NUXtC+B13x/YHPSB7XXjpNV9MZ1rzQ25hBprPjwsIpVPZeaiWXTsNbptLTo+NF7Aw=="
}
