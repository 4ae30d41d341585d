"""Answers to questions that are not levels (yes/no, choices, numbers, texts) keep their value

``answers.value`` holds the answer of any question type other than a level of the
scale, as capacity.questionnaires.values encodes it; a check keeps it exclusive
with "not applicable", as ``level`` is.

questionnaires/gesi-oca.yaml gained a draft Russian translation (``draft_languages:
[ru]`` and ``ru:`` texts beside the Georgian and English ones, which did not change),
so assessments pinned to the old bytes are moved to the new ones, as 0009 and 0010 did.

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

QUESTIONNAIRE_BEFORE = 'c5cfc362328f64b1c194e63d95a7acc52fdd19f3dea449f09c75aa43dcd7c73b'
QUESTIONNAIRE_AFTER = '04f0723cab44ceddad12de30fb54f92a9738be3c5733fd78c8310c1183fe86a1'
assessments = sa.table('assessments', sa.column('questionnaire_hash', sa.String))


def _move_questionnaire_pin(old: str, new: str) -> None:
    op.execute(assessments.update().where(assessments.c.questionnaire_hash == old).values(questionnaire_hash=new))


def _can_check() -> bool:
    """Whether the CHECK is added here: not on SQLite, which adds one only by rebuilding the table — and dropping
    the old ``answers`` table inside the migration's transaction would cascade to every evidence file (foreign keys
    are on, and SQLite cannot switch them off inside a transaction). There the column comes without the CHECK (a
    new SQLite database has it from the models), as the app's saves never write a value with "not applicable"."""
    return op.get_context().dialect.name != "sqlite"


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value', sa.Text(), nullable=True))
    if _can_check():
        with op.batch_alter_table('answers', schema=None) as batch_op:
            batch_op.create_check_constraint(op.f('ck_answers_value_or_na'), 'NOT (not_applicable AND value IS NOT NULL)')
    _move_questionnaire_pin(QUESTIONNAIRE_BEFORE, QUESTIONNAIRE_AFTER)


def downgrade():
    _move_questionnaire_pin(QUESTIONNAIRE_AFTER, QUESTIONNAIRE_BEFORE)
    if not _can_check():  # SQLite (3.35+) drops a column in place; a batch would rebuild the table (see _can_check)
        op.execute("ALTER TABLE answers DROP COLUMN value")
        return
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_answers_value_or_na'), type_='check')
        batch_op.drop_column('value')
