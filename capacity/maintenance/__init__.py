"""Housekeeping of files Capacity writes under its instance folder (``capacity cache prune``)."""
