"""Alembic environment: runs migrations on the connection handed over by storage.migrate."""

from alembic import context

from avatars_server.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
