{
  "key_id": "e3558886e99a2fd5",
  "signature": "IpcBoJjCArlSHiidKCSX9WAL8C38CCrOBJeRkfF+ise/Ez9d223nnO725+tuPkvAcyTvNVUl4gGVseyjTLXNBA=="
}
