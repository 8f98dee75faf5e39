{
  "key_id": "e3558886e99a2fd5",
  "signature": "qp8wDOXPbav+YLjmiXquBxWPAcSfsteUroOwPLQlDySYst7jrqofZw4LAZLxaH07SUKDS5hgndZRQUX6BRBsCg=="
}
