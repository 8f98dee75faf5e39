{
  "key_id": "e3558886e99a2fd5",
  "signature": "vail/PsyAGqwPDu+8Xmr8SbagM6wG2Td0dDFGm+x5skPWG8c9+Zol55Vvdc3E8w+DolMTW8ZleDJxHJFNFXwCg=="
}
