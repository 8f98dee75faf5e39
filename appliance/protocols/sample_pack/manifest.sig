{
  "key_id": "e3558886e99a2fd5",
  "signature": "pdHhb8mTTEM9TILqQpKSCDQbvI1k/R1I1JPItY8dgrMfb1ac9tv9jAI6ph4t2GEx/rhrgbFFbRjsUGa0+WXeBg=="
}
