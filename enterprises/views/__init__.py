"""Pages of the enterprises app: accounts and memberships, the directory, and the appeal loop."""
