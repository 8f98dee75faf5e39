{
  "key_id": "e3558886e99a2fd5",
  "signature": "krit+q++9u51WhXvkuNECmQxtJwTwINh6wCJZj3cG8BB7IclcDvnnzqMAlFz6DUpo9uWbnRhP4Z1S9zk/vOzDA=="
}
