"""Alembic migrations, applied on server start and by `avatars-server migrate`."""
