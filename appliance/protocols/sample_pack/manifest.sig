{
  "key_id": "e3558886e99a2fd5",
  "signature": "qnyevg5IBRKkAlVaXMef83sHpst6tXOR4Ekb2eRzmlCcbNGTJRFOE/tU6KApV32PxfYIOs0LLENsFcb3auEhAA=="
}
