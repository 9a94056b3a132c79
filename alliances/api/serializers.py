"""Serializers of the alliances' API; shapes as CONTRACT.md writes them."""
