{
  "key_id": "e3558886e99a2fd5",
  "signature": "Ij2vsBWR04zBsuvbaGbSJxpbm0hu4Aph6Ge7mtde8/AkNPRgtDV+vnVOAc2ss4G1s9s2elwDQUArO7yMNCwMAQ=="
}
