"""XLSForm (KoboToolbox, ODK) import and export of questionnaires; the columns are documented in questionnaires/README.md."""
