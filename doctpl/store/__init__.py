"""Persistence: the khối registry, saved documents with their versions, the number register, the audit log.

SQLAlchemy 2 over SQLite (embedded default, WAL mode) or PostgreSQL (DATABASE_URL); the schema
is owned by the Alembic migrations in migrations/. Nothing here imports Flask.
"""
