{
  "key_id": "e3558886e99a2fd5",
  "signature": "bHRAsOMylpYqXWzcaR3l+yRpluN07+lZ0iSCA/6MY4Q4LqyD4qgVF1IZIq6ZuvBX5xctcCjROTEjW/T/s8znAQ=="
}
