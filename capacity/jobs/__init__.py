"""Background jobs: printing all profiles of a round as a ZIP, with progress (in-process or RQ on Redis)."""
