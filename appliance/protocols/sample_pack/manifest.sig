{
  "key_id": "e3558886e99a2fd5",
  "signature": "BaGl+SNzlWr9LgmFSRRgrM7uW7kseLlumfdK6o5xKygNBt1mOlVKEhSYWA7K85G0nj1rnHud7ffnlKnCviiAAg=="
}
