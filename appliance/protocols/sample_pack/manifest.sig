{
  "key_id": "e3558886e99a2fd5",
  "signature": "PFh11LURL3+y3dJt+djMEJu0uhYl5zSjlGeke/JTvwvCAhkWCU31chbv7ItpRMpjWD9Y+MT5APdJJdhXxOzDCQ=="
}
