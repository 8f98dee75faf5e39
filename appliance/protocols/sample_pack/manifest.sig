{
  "key_id": "e3558886e99a2fd5",
  "signature": "ZqX10bhu0EtbhQF6iD79KrCTpWcPBGzAmb8NHJHwodcrb6d5LOnffKjuCYVwM3VyloghjsjnJGiJeVinShi1Cw=="
}
