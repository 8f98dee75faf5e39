{
  "key_id": "e3558886e99a2fd5",
  "signature": "nz45F5Wd51yPDFSLk/R2pr5b3e88P7Lit5xICTWzK34G3kxMTqLOuk48TdyT1Iqp3W42gS/5VUOKJ/6Oz7cfBg=="
}
