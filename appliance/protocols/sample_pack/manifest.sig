{
  "key_id": "e3558886e99a2fd5",
  "signature": "6IFts+2kdmS1ENW4VaH7Y3CC9vEzmB3tMHas59WDT2HKgM70qYHZ7mpe7LYJ18La6qAViHuQRnkBU7NCYk+0CQ=="
}
