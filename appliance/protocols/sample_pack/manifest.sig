{
  "key_id": "e3558886e99a2fd5",
  "signature": "7sGI+bf2VcqPKgFjP+fnySNpSnYVEPY8qj3vGzsuKS0PuDrZRqg8bV0ae5tjD/haI7ZjG1VDWsuLp2prk+f+Dw=="
}
