"""The alliances' API (CONTRACT.md): list, create, one alliance with its members, coverage."""
