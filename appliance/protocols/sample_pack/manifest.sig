{
  "key_id": "e3558886e99a2fd5",
  "signature": "7ZZwsnxh//MM4vgDsZOJuaAVY2/5BI8DFyksGW9Z47dwHjb7ilPKRYC201cxByQbd3MgBuOp/RZmOLmBCBh3DQ=="
}
