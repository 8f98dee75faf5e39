{
  "key_id": "e3558886e99a2fd5",
  "signature": "z4EXJ8PUzLEZdZFNhn6EJpS//83/Sww1xricr6VRm3QFisIsoyI7MzCPUCUHwEilw5l15F165r6lvpvmlnCGAw=="
}
