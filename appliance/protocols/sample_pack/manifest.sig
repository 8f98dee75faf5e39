{
  "key_id": "e3558886e99a2fd5",
  "signature": "HVSYT6aHi+hLW9HUtRNPnCoJ/fGjQGmQau9C9uU5W/BRWbcDg00AC8YNnVtZ4hl2b6MiUmAGMLFdbqWgd13xDQ=="
}
