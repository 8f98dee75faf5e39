{
  "key_id": "e3558886e99a2fd5",
  "signature": "PvzdvycxPxErpPYH8CpOwgPGY9tkn15zkHXif/BgM3spCZWcEhcKn8GLQ8Sj3PJRI8j7+vdz9UyWNn0wnNboDQ=="
}
