{
  "key_id": "e3558886e99a2fd5",
  "signature": "MrsdlIetOX0p+Nse4L1mZ9Yf/1fGcJUKfFPEcmiJTcB4AL18Rb5sQewi+XDKvoEf4TRsw76QafZsHWGo2OC7Ag=="
}
