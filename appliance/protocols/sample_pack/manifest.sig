{
  "key_id": "e3558886e99a2fd5",
  "signature": "i6clQ1lAW7kGU5ZfwypUDsetRPe1mLvHLRC8WFtrSO/201ZJOLW9/eMiVgfDoR5W2Tr62zY9OOA/jGQQ+dE6Dg=="
}
