"""Writes of the alliances; each audited in its own transaction, only the office writes."""
