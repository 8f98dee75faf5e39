{
  "key_id": "e3558886e99a2fd5",
  "signature": "dXAugbXy2TIG10t6WxxGftJNRnvLAICDrHAgNxiPAHELoau5SgBWYcOOdiCK0jIVXDx0mYCr2htaDW7IxnxQAA=="
}
