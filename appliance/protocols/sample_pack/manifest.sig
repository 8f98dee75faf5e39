{
  "key_id": "e3558886e99a2fd5",
  "signature": "NSFmu69Y+UyzzQom53/cq+wlDqYceD1qadkFzqEn4kLEf7CyY/nqQ2DLhpsr8ASz9LggvbyWLTQJ3N31gCFhCg=="
}
