{
  "key_id": "e3558886e99a2fd5",
  "signature": "LeyKMkoAqCeewbL1ZYe/EStMOo0T/NdB2GIqLASXRJF2RQWxFcogTzlFlNIQbWey78OPdlnB5A1qSm+apJB0Bg=="
}
