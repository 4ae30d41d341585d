"""What an instrument assesses: kinds of subject (organisation, service, municipality), read from configuration."""
