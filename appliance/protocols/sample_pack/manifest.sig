{
  "key_id": "e3558886e99a2fd5",
  "signature": "kC6tYovXePB+g/moWVdRwxPS0zKhJp0TZaoITjZTXe6tw4sR0wuHwqKRBCxKz26soXU1bKnzFSobXRmoE9voAA=="
}
