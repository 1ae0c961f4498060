"""PDF documents (reportlab platypus): meeting minutes and complaint receipts.

Nothing here reads the store: each renderer is a pure function of plain data, the language and
the moment of generation, so the services decide what goes in and the GUI can run them off its
thread. No Qt here.
"""
