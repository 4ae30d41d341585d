"""Subjects of more than one kind: services and municipalities are assessed too

organisations.kind (what the row is: organisation, service, municipality; every
existing row is an organisation) and organisations.parent_id (a service's
organisation); assessment_rounds.subject_kind (the kind the round's questionnaire
assesses; every existing round assesses organisations); new table
municipality_assignments (accounts working on a municipality's assessments).

Columns are added in place, never by rebuilding a table: on SQLite a rebuild of
organisations would fire the ON DELETE rules of the tables that point at it.

Revision ID: 5d1c0e7a9b13
Revises: f398d902d61f
Create Date: 2026-11-30 11:50:00

"""
from alembic import op
import sqlalchemy as sa


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


def downgrade():
    op.drop_index(op.f('ix_municipality_assignments_user_id'), table_name='municipality_assignments')
    op.drop_table('municipality_assignments')
    op.drop_column('assessment_rounds', 'subject_kind')
    op.drop_index(op.f('ix_organisations_parent_id'), table_name='organisations')
    op.drop_index(op.f('ix_organisations_kind'), table_name='organisations')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('fk_organisations_parent_id_organisations'), 'organisations', type_='foreignkey')
    op.drop_column('organisations', 'parent_id')
    op.drop_column('organisations', 'kind')
