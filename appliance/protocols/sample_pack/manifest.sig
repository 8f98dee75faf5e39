{
  "key_id": "e3558886e99a2fd5",
  "signature": "k8I/i3/QFTMn0pOdncaaABbjA1uLEhGx07nAKIG/3koIXxiErp8XK/C4a81vDljrD5Y2TzJ5oMQboE/yjAdbDg=="
}
