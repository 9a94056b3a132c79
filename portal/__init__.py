"""The shared core every domain app stands on; it imports none of them."""
