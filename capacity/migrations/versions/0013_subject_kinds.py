"""Subjects of more than one kind: services and municipalities are assessed too

organisations.kind (what the row is: organisation, service, municipality; every
existing row is an organisation) and organisations.parent_id (a service's
organisation); assessment_rounds.subject_kind (the kind the round's questionnaire
assesses; every existing round assesses organisations); new table
municipality_assignments (accounts working on a municipality's assessments).
A staff account may now belong to no organisation (a municipal working group
member works on municipalities instead): users' CHECK cso_has_organisation becomes
only_staff_belong_to_organisation.

Columns are added in place, never by rebuilding a table: on SQLite a rebuild of
organisations or users would fire the ON DELETE rules of the tables that point at
them. So on SQLite the CHECK is loosened by editing the table's stored definition,
the procedure SQLite documents for removing a constraint (ALTER TABLE, "making
other kinds of table schema changes"): every stored row already satisfies the looser
rule, so nothing on disk changes.

Revision ID: 5d1c0e7a9b13
Revises: f398d902d61f
Create Date: 2026-11-30 11:50:00

"""
from alembic import context, op
import sqlalchemy as sa

OLD_CHECK = "(role = 'cso' AND organisation_id IS NOT NULL) OR (role <> 'cso' AND organisation_id IS NULL)"
NEW_CHECK = "role = 'cso' OR organisation_id IS NULL"


# revision identifiers, used by Alembic.
revision = '5d1c0e7a9b13'
down_revision = 'f398d902d61f'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('organisations', sa.Column('kind', sa.String(length=32), server_default='organisation', nullable=False))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its reference in one ALTER (Alembic would want a table rebuild).
        op.execute('ALTER TABLE organisations ADD COLUMN parent_id INTEGER CONSTRAINT '
                   'fk_organisations_parent_id_organisations REFERENCES organisations (id) ON DELETE RESTRICT')
    else:
        op.add_column('organisations', sa.Column('parent_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_organisations_parent_id_organisations'), 'organisations', 'organisations',
                              ['parent_id'], ['id'], ondelete='RESTRICT')
    op.create_index(op.f('ix_organisations_kind'), 'organisations', ['kind'], unique=False)
    op.create_index(op.f('ix_organisations_parent_id'), 'organisations', ['parent_id'], unique=False)
    op.add_column('assessment_rounds', sa.Column('subject_kind', sa.String(length=32), server_default='organisation',
                                                 nullable=False))
    op.create_table('municipality_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('municipality', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_municipality_assignments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipality_assignments')),
    sa.UniqueConstraint('user_id', 'municipality', name='uq_municipality_assignments_pair')
    )
    op.create_index(op.f('ix_municipality_assignments_user_id'), 'municipality_assignments', ['user_id'], unique=False)
    _replace_check('ck_users_cso_has_organisation', OLD_CHECK, 'ck_users_only_staff_belong_to_organisation', NEW_CHECK)


def _replace_check(old_name: str, old_rule: str, new_name: str, new_rule: str) -> None:
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint(op.f(old_name), 'users', type_='check')
        op.create_check_constraint(op.f(new_name), 'users', new_rule)
        return
    old, new = f"CONSTRAINT {old_name} CHECK ({old_rule})", f"CONSTRAINT {new_name} CHECK ({new_rule})"
    update = ("UPDATE sqlite_master SET sql = replace(sql, '{}', '{}') WHERE type = 'table' AND name = 'users'"
              .format(old.replace("'", "''"), new.replace("'", "''")))
    if context.is_offline_mode():
        op.execute("PRAGMA writable_schema = ON")
        op.execute(update)
        op.execute("PRAGMA writable_schema = OFF")  # the change shows on the next connection to the database
        return
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").scalar()
    if sql.count(old) != 1:
        raise RuntimeError(f"the users table's CHECK {old_name} is not as the migrations wrote it; "
                           "check the table's definition before migrating")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(update)
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")  # other connections reread the schema
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def downgrade():
    # Staff accounts without an organisation (municipal working groups) cannot stay: refuse rather than delete them.
    orphans = 0 if context.is_offline_mode() else op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM users WHERE role = 'cso' AND organisation_id IS NULL").scalar()
    if orphans:
        raise RuntimeError(f"{orphans} staff account(s) belong to no organisation (municipal working groups); "
                           "give them an organisation or delete them before downgrading")
    _replace_check('ck_users_only_staff_belong_to_organisation', NEW_CHECK, 'ck_users_cso_has_organisation', OLD_CHECK)
    op.drop_index(op.f('ix_municipality_assignments_user_id'), table_name='municipality_assignments')
    op.drop_table('municipality_assignments')
    op.drop_column('assessment_rounds', 'subject_kind')
    op.drop_index(op.f('ix_organisations_parent_id'), table_name='organisations')
    op.drop_index(op.f('ix_organisations_kind'), table_name='organisations')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('fk_organisations_parent_id_organisations'), 'organisations', type_='foreignkey')
    op.drop_column('organisations', 'parent_id')
    op.drop_column('organisations', 'kind')
