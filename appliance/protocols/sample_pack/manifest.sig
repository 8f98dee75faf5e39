{
  "key_id": "e3558886e99a2fd5",
  "signature": "WALlHG+2TCqt8GHTBINYgq/Vh8JzNKYWCK9IVy8Bs/q8+vUrcRrZLB6FUKZ0cRF0/PQzD8rRk5vvwnbC3IsrAA=="
}
