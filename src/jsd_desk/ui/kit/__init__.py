"""The pieces every page is built from: the list-backed table model and its columns, the
shared item roles, small widget helpers, and the ``Page`` base (watched records, coalesced
refresh, actions). Import from the modules (``ui.kit.table``, ``ui.kit.widgets``…)."""
