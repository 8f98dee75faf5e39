{
  "key_id": "e3558886e99a2fd5",
  "signature": "QRa3HUNWoHu1fgEEP88Q4KN/tydbukkq34oyTfDVYi/OV3SkxwS+JM39pxkgcJmdP83qNt+XVsTtoBphRTEjAw=="
}
