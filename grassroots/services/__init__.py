"""Writes of the grassroots app: each a function under ``transaction.atomic``."""
