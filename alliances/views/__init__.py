"""The alliances' pages."""
