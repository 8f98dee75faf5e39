{
  "key_id": "e3558886e99a2fd5",
  "signature": "74yOUbwvKw2KUIAw6lLo82Y/06hgq5ohpAOSOEPa4ElfNL7XC4FJYy2z15J+bpxIZIsChsbLbzaB6FXGVYB5Bg=="
}
