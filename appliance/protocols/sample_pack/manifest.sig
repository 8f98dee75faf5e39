{
  "key_id": "e3558886e99a2fd5",
  "signature": "HXKxMhlqYESd+Cy114Ud9f3T99Hwr8AolUYvvjEbKF4RT5zJ28cv+11mzyiI9V9n78+PGQ2VZHXvj3Nf0j2XCA=="
}
