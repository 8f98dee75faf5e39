{
  "key_id": "e3558886e99a2fd5",
  "signature": "wEOiGprLzpwTcVl9lQXr0X0rtPKkgGkwT2rnYIqDnQqDHVjpqkWLei6f1mtyh/Xei+i+VDB3JSHTZ1f0Gdt9Bg=="
}
