"""Use cases, shared by the command line and the GUI. No Qt here."""
