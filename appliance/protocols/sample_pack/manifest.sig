{
  "key_id": "e3558886e99a2fd5",
  "signature": "vHkQSYZ7ABVBLk+oFo/zHP2oID5lkjYUbDuFGBv1gBh35UcguLN+8mqmRhyhPzyb2dV8cRK+hc5naGnGTRNuAA=="
}
