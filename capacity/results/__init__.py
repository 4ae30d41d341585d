"""The results page in the app: one organisation's results in one round, as the person asking may see them."""
