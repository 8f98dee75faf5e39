{
  "key_id": "e3558886e99a2fd5",
  "signature": "zSODoftL0t4SM5eCqT9taQ+ZwNZ9fn07bHfIIebaorWIXp3O8RVfZ/TnxeQf1S2KMT+NV1Rsj+fb40urGO5+Ag=="
}
