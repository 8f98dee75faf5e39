{
  "key_id": "e3558886e99a2fd5",
  "signature": "5f58oOZs8OGKIInfxb0Be+Kfvt7BRhlxFoRcShMlGrmTO+C9nZ0uQ/I10B6Fr/YHlmbM78Js+7NdIJvRxHjvCQ=="
}
