"""Answers to questions that are not levels (yes/no, choices, numbers, texts) keep their value

``answers.value`` holds the answer of any question type other than a level of the
scale, as capacity.questionnaires.values encodes it; a check keeps it exclusive
with "not applicable", as ``level`` is.

Revision ID: b7c8d9e0f1a2
Revises: a1b2c3d4e5f6
Create Date: 2026-11-30 05:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c8d9e0f1a2'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value', sa.Text(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_answers_value_or_na'), 'NOT (not_applicable AND value IS NOT NULL)')


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_answers_value_or_na'), type_='check')
        batch_op.drop_column('value')
