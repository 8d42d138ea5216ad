"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from meetingday.extensions import db

pytestmark = pytest.mark.both_databases


def test_migrated_schema_matches_models(app):
    # The test database was built from empty by `flask db upgrade` (see conftest).
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert ctx.get_current_revision() is not None
        diff = compare_metadata(ctx, db.metadata)
    assert diff == []


def test_every_table_exists(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {"meetings", "agenda_items", "organisations", "organisation_groups", "invitees", "pass_tokens",
            "checkins", "speaker_requests", "remarks", "conclusions", "conclusion_tasks", "kien_nghi",
            "users", "audit_log", "alembic_version"} <= tables
