{
  "key_id": "e3558886e99a2fd5",
  "signature": "StQLcQxHyOgBWjQWRnovj55X5XlZgyDErFaoB90XJlMq5hyhtkdo4Omy5PXdhAUGFt8l510Y4/NJVr8k3IicBA=="
}
