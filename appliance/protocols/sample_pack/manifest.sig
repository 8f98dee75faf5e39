{
  "key_id": "e3558886e99a2fd5",
  "signature": "y8L34cEuZ1JAP4uF9GpYSgs/kgCbhGYb5IS/Fxp9pw2tlemv3g1CWxYzQwpWevWjr+kEJNQ8qXSFz+PPLeUkDg=="
}
