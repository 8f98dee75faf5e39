{
  "key_id": "e3558886e99a2fd5",
  "signature": "Guw9TlxDwtvSzgD92YXFJBoW6CtI/CLGTnKj4P9QY4q7pZeAZdGcBZEU7pjfXMLd/FEDGsEHu9iT2x1BWRHlAg=="
}
