"""Report jobs record their runner, worker and heartbeat, so a job whose worker died is marked failed

Revision ID: 5e1b7c0a9d42
Revises: 5e6c0a1d2f37
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1b7c0a9d42'
down_revision = '5e6c0a1d2f37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('runner', sa.String(length=8), server_default='thread', nullable=False))
        batch_op.add_column(sa.Column('worker', sa.String(length=128), server_default='', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('worker')
        batch_op.drop_column('runner')
