"""Importing KoboToolbox/ODK submissions exports into a round's assessments."""
