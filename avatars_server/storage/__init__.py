"""Persistence: SQLAlchemy tables, sessions, repositories and the dataset file store."""
