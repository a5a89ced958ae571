"""Fictional demo content for Homeward (plain Python: no Django imports)."""
