{
  "key_id": "e3558886e99a2fd5",
  "signature": "MagSF6drmMnUTCoO6dJ6YaxQdYSRmUBaDyAkUIyOq1KE/WabNJXvwwYgScLHy9lnq6/rs/M8S8IIJLaRoqTOAg=="
}
