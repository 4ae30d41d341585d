"""Assessment rounds: set-up, opening and closing, and the progress grid (blueprint in rounds.views)."""
