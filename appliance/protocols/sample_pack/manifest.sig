{
  "key_id": "e3558886e99a2fd5",
  "signature": "H4rXAENF+ddsowX/QN7Oe/azTtRePhzQODAZpoegkN4dCh24OM02W1IUxyhWpJGV52tJAnKR4hWbxp/vO6IkAA=="
}
