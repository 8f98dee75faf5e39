{
  "key_id": "e3558886e99a2fd5",
  "signature": "Ah05Qzj8fWFCYbw6CfWfOSlusNovdcFyIDi9djTAd5HTcvKuuik1DL3l04x95R76JnZJs+CvlP0SuvJkkGDXAA=="
}
