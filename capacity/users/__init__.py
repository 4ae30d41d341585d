"""User administration: accounts, roles, passwords and mentor assignments."""
