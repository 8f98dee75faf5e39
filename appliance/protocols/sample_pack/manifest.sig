{
  "key_id": "e3558886e99a2fd5",
  "signature": "/xnGoafnDBTI1z1+ETkTV6hRTzDTYU/eWyTRAsPSFszvZ/aAHeAXsf5kf/MJWIYdXIRQlZM7Scparc++oBdhAQ=="
}
