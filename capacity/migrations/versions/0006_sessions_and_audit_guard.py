"""Session generations for users; the database itself refuses to change or delete audit events

users.session_generation is part of every login's identity (capacity.auth.sessions):
raising it logs the user out of every session and remember cookie.

Triggers on audit_events refuse UPDATE and DELETE on SQLite and PostgreSQL (TRUNCATE,
which fires no row trigger, stays possible for whoever owns the database).

Consequence for the foreign keys from audit_events to users and organisations (ON DELETE
SET NULL): a SET NULL is an UPDATE of the audit row, so deleting a user or an organisation
that appears in the audit trail is now refused by the database. That is deliberate and
costs nothing today: Capacity never deletes users or organisations (accounts are
deactivated; organisations stay), and the trail must keep saying who did what. The
foreign keys are left as they are, so a deletion with no audit history still works.

On SQLite a later batch_alter_table("audit_events") recreates the table and loses these
triggers: such a migration must create them again.

Revision ID: 5e6c0a1d2f37
Revises: ad2b37a236da
Create Date: 2026-11-29 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e6c0a1d2f37'
down_revision = 'ad2b37a236da'
branch_labels = None
depends_on = None

# A frozen copy of capacity.audit.models' guard: migrations do not follow later code changes.
SQLITE_GUARD = [
    f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed or deleted'); END"
    for verb in ("UPDATE", "DELETE")
]
POSTGRES_GUARD = [
    "CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events cannot be changed or deleted'; END $$",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()",
]


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_GUARD if dialect == "sqlite" else POSTGRES_GUARD if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse_change()")

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
