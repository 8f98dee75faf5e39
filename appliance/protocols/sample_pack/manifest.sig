{
  "key_id": "e3558886e99a2fd5",
  "signature": "fKt4fApjaPIuYwOQ/Lt3oDXugUeD71UQ//knH6iFBr07ExomZscGR8D9XTwChq2DTp13raySLY20YY06hwkECQ=="
}
