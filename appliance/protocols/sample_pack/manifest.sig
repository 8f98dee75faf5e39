{
  "key_id": "e3558886e99a2fd5",
  "signature": "SDZ7jrFZ/83U4D8A5r1JnKnjHfqtRCzjpNaVjiHUz+snhyhqUxtQJekzutjIru3683XWX2eYJL46l20JR5uICA=="
}
