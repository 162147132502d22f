"""An untouched copy of the freshly migrated test database, for the load smoke test.

Copying a database on PostgreSQL (`CREATE DATABASE ... TEMPLATE`) takes about a second;
migrating a new one about half a minute of CPU. The copy is made as soon as the test
database exists, before any test has written to it, and dropped with it.
"""

from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.db import connection, connections
from psycopg import sql

from tests.celery_worker import test_database_url


def _execute(statement: sql.Composable) -> None:
    admin_url = urlunsplit(urlsplit(test_database_url())._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(statement)


def migrated_copy_make() -> str:
    """Copy the test database; PostgreSQL copies only a database nobody is connected
    to, so this process's connections close first."""
    source = connection.settings_dict["NAME"]
    name = f"{source}_migrated"
    connections.close_all()
    migrated_copy_drop(name)  # left over from a run that was killed outright
    _execute(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(source)
        )
    )
    return name


def migrated_copy_drop(name: str) -> None:
    _execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    )
