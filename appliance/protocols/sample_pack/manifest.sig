{
  "key_id": "e3558886e99a2fd5",
  "signature": "ZP7+f3s30lnM+wR3vgfaXbZcHzGcZ/VWm/glS/XNd6Xl8U1NRwYFXHKpQX4U2OWur9mNmVXpUs3VeNE7ogT8Bw=="
}
