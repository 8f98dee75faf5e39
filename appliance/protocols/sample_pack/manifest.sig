{
  "key_id": "e3558886e99a2fd5",
  "signature": "lHAAYBt/DbwJ07Hs++lDHaiCwK/eKZ4NF+DfjLQyrEWPs1SUyOCeof1CYV95GtbS5PlPXE+3wcOxzuhEiglaDQ=="
}
