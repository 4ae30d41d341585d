"""Organisation profile data: counted facts (staff, board, beneficiaries, budget shares), not ratings."""
