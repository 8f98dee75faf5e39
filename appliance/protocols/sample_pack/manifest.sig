{
  "key_id": "e3558886e99a2fd5",
  "signature": "bdG8pifIPhH46Spk469fMDLa9WHMbSCVo7dDzsYxLLhMqTYyh+UJtwKKLPyTFqrJ2EgVBZvGbSZLSM2GuW0kAg=="
}
