{
  "key_id": "e3558886e99a2fd5",
  "signature": "zcLWp6bgeNPcb9sLvGBXiljNh/nftww82amx0uTKFsJs6dCv8L7/5Wq5ylNyxxyx+gd809KQzlTqGSuDVNixCw=="
}
