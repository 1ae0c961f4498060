"""Keys, key slots, signatures and sealing. No Qt, no SQL."""
