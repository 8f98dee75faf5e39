{
  "key_id": "e3558886e99a2fd5",
  "signature": "jKl7kd1MwH7NX5hxKilckL+pZiy7G/gnyCPFssiLt4e5GVljjau+ek1/5C3OTF/krymjnxWWgML/9qqT7XSLAg=="
}
