"""Backups of the whole database (``capacity backup`` / ``capacity restore``)."""
