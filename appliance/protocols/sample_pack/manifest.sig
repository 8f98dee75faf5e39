{
  "key_id": "e3558886e99a2fd5",
  "signature": "SRzFOKUkasxtCBWqxAaaxsacCgF0Iy6BMGvl3lVGLOXweaF2IoSqssoq/92+yz6tBn2hWdjHnp4ckb/EPc+rCw=="
}
