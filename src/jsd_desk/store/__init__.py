"""Persistence: engine factory, ORM models, migrations runner, event log and projection."""
