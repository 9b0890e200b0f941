"""Alembic environment: migrations run on the URL the Store passes in."""

from alembic import context

from doctpl.store.db import make_engine
from doctpl.store.models import Base

config = context.config


def run() -> None:
    """Run the migrations online, on one connection."""
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild tables that others reference; SQLite checks foreign keys only
            # when the pragma is on, and the pragma cannot change inside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # end the autobegun transaction, so that the migrations' own one commits
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
    engine.dispose()


run()
