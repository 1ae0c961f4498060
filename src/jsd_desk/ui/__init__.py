"""The PySide6 desktop interface. Talks to services only: no SQL, no file I/O here."""
