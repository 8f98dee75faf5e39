{
  "key_id": "e3558886e99a2fd5",
  "signature": "RgSV42ge358+Jn+TqxMkslLaAiJS0x1Kte0H/LKFvq89u1LiBVWBphW3L1TaUz01dVjpgyGeOamAu6Lx/p3MAA=="
}
