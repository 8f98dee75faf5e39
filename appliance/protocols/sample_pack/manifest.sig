{
  "key_id": "e3558886e99a2fd5",
  "signature": "NJv4AaduKrZTWqnIbE0rSJxqqDoq7A/+noabUZ+ZXAkfkyc1Ey9eKQhX3IFlEAddncQLL6K8mXN/jZ62q414Cw=="
}
