{
  "key_id": "e3558886e99a2fd5",
  "signature": "fC9V8lWpdioyYpjytR8iwELOCPONupHsyCXILhb6/2kgUheoYNbvChwnBlC3K1cpspgWcKKbDXfrKko6edAoDw=="
}
