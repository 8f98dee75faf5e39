{
  "key_id": "e3558886e99a2fd5",
  "signature": "/kMrMGiLeAOX7QbUodZs+o5neTmJyAbiHyC919waLvunNx4dv+FyW0U3/lA9J07Zinrmf7fkp+z3kwN1RF/iBA=="
}
