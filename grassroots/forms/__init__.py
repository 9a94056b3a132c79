"""The app's forms."""
