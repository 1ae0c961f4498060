"""The domain: vocabularies, value types and validation. No Qt, no SQL."""
