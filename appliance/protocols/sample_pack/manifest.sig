{
  "key_id": "e3558886e99a2fd5",
  "signature": "JNNHYr9dSkIamDUZGFO1h/OkBrTBCW/TutCkSPWdDymoNKuINAyymEDy2gE0Kh8Iq/+dMQioCXLraYu8ER44DQ=="
}
