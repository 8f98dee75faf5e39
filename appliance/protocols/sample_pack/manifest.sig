{
  "key_id": "e3558886e99a2fd5",
  "signature": "wHql8MSH5xaejlqYPtzejj+6lWd/Ochkn4qbpjqn2RXZ5jiJXprnhaYnBRaqJ49R9JKNmBtETY6YSR+9MTaIBQ=="
}
