{
  "key_id": "e3558886e99a2fd5",
  "signature": "iFMREw3DK23Jd7Ocr52AS+ikEjoEYUAc63f58iaOy6HzVb7Xbq0p/cSuJVu0KqJfRTTZIcK+hsET2QcWwzFBBA=="
}
