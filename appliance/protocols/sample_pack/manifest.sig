{
  "key_id": "e3558886e99a2fd5",
  "signature": "LXDWQxlhl1npdajCmDKjpf59QxXHYq3FtmSB0qD0qFKjcYLafozPMgRwZKao/ugLWLN/XYMO4kPaUScVQbsQDw=="
}
