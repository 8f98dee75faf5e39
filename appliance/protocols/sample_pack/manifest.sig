{
  "key_id": "e3558886e99a2fd5",
  "signature": "bESkI2MeLcwTDz+xdsE3nK1VHGDkPdzWW6Qlz5oakmT/gc4tnfYPWIY69dax3TQ6Dy24NPPIgOn+shlcy24WCg=="
}
