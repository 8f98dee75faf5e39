{
  "key_id": "e3558886e99a2fd5",
  "signature": "pQLwxIDhnOKaA9O42M+mHw0QScf8bHhSIYnLfmBFQR61J5BY6jfOpGtunfrc6wUekxt1yyWxkzU+80WQ5g+xCA=="
}
