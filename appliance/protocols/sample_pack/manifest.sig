{
  "key_id": "e3558886e99a2fd5",
  "signature": "CZH0QJ18WM5CuacN/1hit3DApe1/x7HF8fz3BJIkb7D+YOzpMW5iX0YOF1pv8ttaFeifIowo6EKzQJU0fLaKDA=="
}
