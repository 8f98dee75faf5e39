{
  "key_id": "e3558886e99a2fd5",
  "signature": "Q0buiWpi86ipnsUrP1838gacV6xnrhG53JPC2cEuBHpjkr3JcLKc2ptTBhF5bxvv67ZJ/+luYIctx0QHTA6DCQ=="
}
