{
  "key_id": "e3558886e99a2fd5",
  "signature": "ElDDf1uDrZoYFvxJm7CXHNars2KsUlFr38CRQQIeaUOaVNX7vT6acZQ7LyuhsgEcL32Dr08KNFYWb+URzb4oAA=="
}
