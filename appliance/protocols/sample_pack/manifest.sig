{
  "key_id": "e3558886e99a2fd5",
  "signature": "osyKr5HkvN4yl+Rnu0dlNC1dR/2pJuANZjA9YccsSEsWp6T+8V4jCRtj4g9MQkvi2/4BtZa7+aA6NVeY4TWXAA=="
}
