{
  "key_id": "e3558886e99a2fd5",
  "signature": "aRFcG5Ep+LRJgh+vbTJ8h/mkcdJLQG4yHBiDRf6Sul3OBm0HM+m0Y4Zh5ebODUmL8g8CGOoynRsZMo9wEXnABA=="
}
