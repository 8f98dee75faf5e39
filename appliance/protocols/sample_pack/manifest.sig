{
  "key_id": "e3558886e99a2fd5",
  "signature": "a8cXUgyOhlga2P9SO0lz0lAfMetoEdvY6WzD6W8e4xPFsyENL5x1u+mHczhJCxTiqvVr7hOdPB6ErekeLM3XDQ=="
}
