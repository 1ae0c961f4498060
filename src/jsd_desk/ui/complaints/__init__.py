"""The Complaints page."""
