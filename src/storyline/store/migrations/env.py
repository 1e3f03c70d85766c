"""Alembic environment for the storyline store.

Two ways in:

* ``storyline.store.db.migrate`` passes an open connection, already inside a
  transaction, in ``config.attributes["connection"]``; the whole upgrade runs in
  that transaction (SQLite and PostgreSQL both have transactional DDL).
* The ``alembic`` command (see ``alembic.ini``) connects to ``-x db=URL`` or
  ``STORYLINE_DB``, with the same engine set-up storyline uses.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from storyline.config import database_url
from storyline.store.db import create_engine, parse_url
from storyline.store.models import Base
from storyline.store.search import include_name

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return

    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    url = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get("STORYLINE_DB")
    engine = create_engine(parse_url(database_url(url)))
    try:
        with engine.connect() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("storyline migrations run online only: give -x db=URL or set STORYLINE_DB")
run_migrations_online()
