"""Persistence: SQLAlchemy tables and sessions, one query module per entity, durable files."""
