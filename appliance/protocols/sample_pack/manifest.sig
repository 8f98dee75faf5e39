{
  "key_id": "e3558886e99a2fd5",
  "signature": "kdAPUrzEf0oH64tJHDMPA2Aic+a7/0Okk81gRh+s698uv250fc1SNHYA5wkVPzFqu7AcDAIBwSvuQGwqah5WCQ=="
}
