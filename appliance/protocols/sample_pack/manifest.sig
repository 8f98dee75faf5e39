{
  "key_id": "e3558886e99a2fd5",
  "signature": "PM9TjhDWsF8e3okWf5Tdzc7xnC1YFkHGyraKHu7oHEZfQXzUNmmqa+sq+cfg/J1um+D6/LbWrythwfEjnEvkAg=="
}
