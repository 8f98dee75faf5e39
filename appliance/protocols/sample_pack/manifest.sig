{
  "key_id": "e3558886e99a2fd5",
  "signature": "2+jE6L8JFLH45mvCMYYYwxzz2+o0DOf6N1sNRO+Xy8CCTVzJB6ORFe69iEMh0lKuMbvkyeCbYRLUnHgLO9eRCA=="
}
