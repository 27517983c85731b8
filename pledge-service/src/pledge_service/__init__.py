"""pledge-service: member and organisation pledges from draft to recorded result (党员承诺践诺)."""
