{
  "key_id": "e3558886e99a2fd5",
  "signature": "CZkRA72/V94ihUpdkvVWl78m7zWYDzUOMinziQAPA7Uyt9m58LbTZamLglRVY1JG+cNwfjdchzl0FPhr0WJsDw=="
}
