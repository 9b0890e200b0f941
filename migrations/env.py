"""Alembic environment: migrations run on the URL the Store passes in."""

from alembic import context

from doctpl.store.db import make_engine
from doctpl.store.models import Base

config = context.config


def run() -> None:
    """Run the migrations online, on one connection."""
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
