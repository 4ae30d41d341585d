"""Partner organisations: list, detail, administration and CSV import."""
