"""Keys, users, roles and sessions."""
