"""Make audit events append-only in the database itself, not only in the ORM.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, used by test teardown and by a
deliberate purge, stays possible for the table owner). SQLite refuses UPDATE;
its test teardown deletes rows, so DELETE stays allowed there.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION bureau_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER bureau_auditevent_no_change
    BEFORE UPDATE OR DELETE ON bureau_auditevent
    FOR EACH ROW EXECUTE FUNCTION bureau_auditevent_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS bureau_auditevent_no_change ON bureau_auditevent;
DROP FUNCTION IF EXISTS bureau_auditevent_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER bureau_auditevent_no_update BEFORE UPDATE ON bureau_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS bureau_auditevent_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("bureau", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
