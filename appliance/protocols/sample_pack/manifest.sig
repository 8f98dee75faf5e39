{
  "key_id": "e3558886e99a2fd5",
  "signature": "joPwsdUZmIOIRsBeUK5w5gRk+ghfxOGa/z+1aeqh23jvKHFZ386RYrMntWgbdBlNzK4ailx3okFD2tcpTByIAg=="
}
