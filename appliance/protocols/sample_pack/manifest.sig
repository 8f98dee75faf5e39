{
  "key_id": "e3558886e99a2fd5",
  "signature": "8D9t2MOf4nl1hQ1HySbCJCIUtDW+P6sOI/p/vtJoDOdJ6ZCuZMwXpEFWvbqzqMRU9BXBCHXErCOWS87cdQ+vDw=="
}
