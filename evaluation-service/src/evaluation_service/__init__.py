"""evaluation-service: evaluation rounds from the first rating to the published result (三评)."""
