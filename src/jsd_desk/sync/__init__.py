"""Sync by file (DESIGN §5): contact cards, bundles, export, import, outbox, sync folder. No Qt."""
