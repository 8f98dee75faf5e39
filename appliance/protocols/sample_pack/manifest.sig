{
  "key_id": "e3558886e99a2fd5",
  "signature": "0SU40U88FgGLgjW73STcZhx/USIMElABJ2tMTW3VLOqIUJTtLxY2wVqDlHQXwJp+XViIAsSzFz70rsjskIo/CQ=="
}
