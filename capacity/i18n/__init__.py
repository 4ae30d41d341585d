"""Language: Georgian by default, English on request, remembered per user."""
