{
  "key_id": "e3558886e99a2fd5",
  "signature": "lz96KJRLSWH9VWpprcvi3NvgO32v/HoY4LN08t30RJklxgAHLVs7tPIG+FRUioZHYl8Vp09Qb96RMCBZSgWEAA=="
}
