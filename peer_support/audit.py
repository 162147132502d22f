"""Append-only audit records: every decision about a person or a shift is kept as it
was made (membership history and shift history now; moderation and safeguarding next).

Three layers keep a history from being rewritten:

- `AppendOnlyModel` refuses to save an existing row or delete one, by instance or by
  queryset, with `AppendOnlyError` (a project `ServiceError`, never retried by a task).
- On PostgreSQL a trigger on every audit table refuses UPDATE and DELETE, so raw SQL
  and Django's cascades (which bypass the model and its queryset) cannot either. Each
  audit table gets it with one migration operation, `append_only_trigger(...)`.
- Audit rows stay out of Wagtail's reference index (`wagtail_reference_index_ignore`),
  so "usage" listings never show or walk them.

The one change the trigger lets through is the one account erasure needs: a column
named in the model's `erasable_fields` (a link to a person) may be set to NULL, and
nothing else in that row may change at the same time. The event stays; who it was
about or who did it is forgotten. TRUNCATE is not refused: it is what test runs use to
empty the database, and no application path issues it.
"""

from collections.abc import Sequence
from typing import ClassVar, TypeVar

from django.db import migrations, models
from django.utils.translation import gettext_lazy as _

from peer_support.errors import ServiceError


class AppendOnlyError(ServiceError):
    """Someone tried to change or delete a history entry."""


def _refuse_change():
    raise AppendOnlyError(_("History entries cannot be changed."))


def _refuse_delete():
    raise AppendOnlyError(_("History entries cannot be deleted."))


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse_change()

    def delete(self):
        _refuse_delete()


class AppendOnlyModel(models.Model):
    # Foreign keys to people that erasing an account may set to NULL (and only that).
    erasable_fields: ClassVar[tuple[str, ...]] = ()
    wagtail_reference_index_ignore = True

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse_change()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_delete()


Event = TypeVar("Event", bound=AppendOnlyModel)


def audit_record(model: type[Event], /, **fields) -> Event:
    """Add one entry to `model`'s history. Choices and lengths are checked before the
    row is written (a bad action is a bug, and a history should not hold it); links
    are left to the database."""
    event = model(**fields)
    relations = [f.name for f in model._meta.fields if f.is_relation]
    event.clean_fields(exclude=relations)
    event.save(force_insert=True)
    return event


_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb := to_jsonb(NEW);
    col text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Erasure may forget a person (set an erasable link to NULL), nothing more.
        FOR i IN 0 .. TG_NARGS - 1 LOOP
            col := TG_ARGV[i];
            IF (new_row -> col) IS DISTINCT FROM (old_row -> col)
               AND (new_row -> col) <> 'null'::jsonb THEN
                RAISE EXCEPTION '% is append-only: % may only be cleared',
                    TG_TABLE_NAME, col;
            END IF;
            old_row := old_row - col;
            new_row := new_row - col;
        END LOOP;
        IF old_row = new_row THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '% is append-only: rows cannot be changed', TG_TABLE_NAME;
    END IF;
    RAISE EXCEPTION '% is append-only: rows cannot be deleted', TG_TABLE_NAME;
END;
$$;
"""


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and is a no-op elsewhere (the SQLite default
    relies on the model's own refusals)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def append_only_trigger(table: str, *, erasable: Sequence[str] = ()) -> PostgresOnlySQL:
    """The migration operation that makes `table` append-only on PostgreSQL.

    `erasable` names the columns (e.g. "member_id") account erasure may set to NULL;
    keep it equal to the model's `erasable_fields` columns. The SQL is written into
    the database when the migration runs: to change the rule later, add a migration
    that calls this again rather than editing an applied one.
    """
    trigger = f"{table}_append_only"
    args = ", ".join(f"'{column}'" for column in erasable)
    return PostgresOnlySQL(
        sql=[
            _FUNCTION,
            f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}";',
            f'CREATE TRIGGER "{trigger}" BEFORE UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION audit_append_only({args});",
        ],
        reverse_sql=[f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}";'],
    )
