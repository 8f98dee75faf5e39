{
  "key_id": "e3558886e99a2fd5",
  "signature": "SZlfuURdM8wOkAx4F5kiZkgCUHB8JXgSD5FVCAIUIoO5P402C8J/OfyPcF8kYFmnSMeGWzyUsO0+2ydykmSsCg=="
}
