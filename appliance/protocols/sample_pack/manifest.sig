{
  "key_id": "e3558886e99a2fd5",
  "signature": "sdW3Jr1fD92/QDvKa0TNJxFisPuXnAMjMQTFC1fxAM900+f7GxfEFdeIFIE7FYY1EJwUHy+TYg5b0QECD254AA=="
}
