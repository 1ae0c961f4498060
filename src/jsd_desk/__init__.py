"""JSD Desk: offline-first desktop app for community–police dialogue."""

__version__ = "0.1.0"
