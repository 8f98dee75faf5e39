{
  "key_id": "e3558886e99a2fd5",
  "signature": "ZVAG442Q6hIMOSfeUifBYMqCW3PZGfwrb0egKE5INTK6o+ttZncS+9vBY3M/4WvlP22wMWUHfDnJ1lgUIUIBCQ=="
}
