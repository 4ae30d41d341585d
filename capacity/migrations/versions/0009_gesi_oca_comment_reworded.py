"""gesi-oca 1.0: a comment of the file was reworded; assessments pinned to it keep their pin

A questionnaire's pin is the SHA-256 of its file's bytes, so any change, even to a
comment, makes the pinned rounds refuse to score until re-pinned. Line 2's comment
of questionnaires/gesi-oca.yaml was reworded (it named a file outside the
repository); nothing the instrument says changed. This moves the pins from the old
bytes to the new ones; assessments pinned to any other version are not touched.

Revision ID: 9d4e1f7a2b63
Revises: 8c3f2a6d1e90
Create Date: 2026-11-29 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d4e1f7a2b63'
down_revision = '8c3f2a6d1e90'
branch_labels = None
depends_on = None

BEFORE = '983c1e83d12d345d78b06e97489930df8b3ac2ead118f1dfdb27b4a728058c9f'
AFTER = 'c5cfc362328f64b1c194e63d95a7acc52fdd19f3dea449f09c75aa43dcd7c73b'
assessments = sa.table('assessments', sa.column('questionnaire_hash', sa.String))


def _move(old: str, new: str) -> None:
    op.execute(assessments.update().where(assessments.c.questionnaire_hash == old).values(questionnaire_hash=new))


def upgrade():
    _move(BEFORE, AFTER)


def downgrade():
    _move(AFTER, BEFORE)
