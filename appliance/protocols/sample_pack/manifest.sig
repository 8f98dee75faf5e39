{
  "key_id": "e3558886e99a2fd5",
  "signature": "jISqRPy7g6797gGUEPY0JmJm+/tlaeJXpltr8rziseVPGyLMXoZpfnAO91XJnmFDxWSHMak4a8sWHF/doIImDg=="
}
