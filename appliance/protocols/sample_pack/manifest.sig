{
  "key_id": "e3558886e99a2fd5",
  "signature": "XcfyvQTLGzQypVlrluBKyUvBwLLUSYAX0Oa1yo0e/eTYA9IHa5z4FJB+bhhlfPjHVYWvwkG+VsdREDcwRbAIAQ=="
}
