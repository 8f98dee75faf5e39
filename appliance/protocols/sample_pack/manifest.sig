{
  "key_id": "e3558886e99a2fd5",
  "signature": "6x6XB/xfoQrlPJiogxOPuXXDDSjRJF4BhTvjkVkhyJbHdOigqk/kDfcpR/bLNSl9oUhb70dXgRTECL/ZTAwrCA=="
}
