{
  "key_id": "e3558886e99a2fd5",
  "signature": "CWpApiEFoZYoeF4Igu1rXCWfxiiWW/H46opm2KJhcjYlrcm0hHnEJY8jydYub+ylQLhIL+T+SfIgGKaiI6rAAw=="
}
