{
  "key_id": "e3558886e99a2fd5",
  "signature": "VIr903OwsdrvEJK0wvHQwxhgjYAOR4eUj//Ubs4WDAYUimV7ZyZoHOHarqzNJ9Q0nwuyItMYb4RFpfp+fW4PDg=="
}
