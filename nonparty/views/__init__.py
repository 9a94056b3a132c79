"""Pages of the non-party people's archive."""
