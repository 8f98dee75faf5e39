{
  "key_id": "e3558886e99a2fd5",
  "signature": "9xylbwO+cyEuYWnDfBRO53XAoNcFQoSxwCa/gNd36z891EEp7Ej2MnOJCTJoB6T5WsJoMQRQYq0ntu5I6aAQAg=="
}
