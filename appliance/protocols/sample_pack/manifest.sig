{
  "key_id": "e3558886e99a2fd5",
  "signature": "RVSOEEyE14Z5mxhRNGR5+5jb8V4xdKNucXSvE0JeGrq6Bn3/KhgZZBlP2UzE5HTARaobA7qCSCPvQIWs9r2eAg=="
}
