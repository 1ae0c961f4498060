"""The Action items page."""
