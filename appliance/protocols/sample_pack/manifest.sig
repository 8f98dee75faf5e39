{
  "key_id": "e3558886e99a2fd5",
  "signature": "0UU2HJSd8Mu+Dygk3fzERi7WQzw4sCyBwusWQimVmXjb9T3Zm+AqettE3nNRkFsy5R0Vp/5fK5Zzs8ZSg2xvBw=="
}
