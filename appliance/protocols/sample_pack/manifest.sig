{
  "key_id": "e3558886e99a2fd5",
  "signature": "IGXhHycBhKhuGwM1UFSzXEdJLYhUCQIM16lykNEENfiTnLeZWOBR7rtMP7lod6ZO7+NqquPB6pKL/EjswkwtDg=="
}
