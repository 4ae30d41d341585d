"""Evidence files and print-all ZIPs move into the database, so every web server reads them

Until now both lived in one machine's instance folder: with several web servers an
upload through one answered 404 through another, and a ZIP written by an RQ worker
stayed on the worker's disk. Existing files are copied into their rows; the old
folders (``evidence/``, ``jobs/``) are left as they were and may be removed once a
backup has been taken. A downgrade writes the files back to the instance folder.

Revision ID: 8c3f2a6d1e90
Revises: 5e1b7c0a9d42
Create Date: 2026-11-29 20:00:00.000000

"""
from pathlib import Path

from alembic import op
import sqlalchemy as sa
from flask import current_app, has_app_context


# revision identifiers, used by Alembic.
revision = '8c3f2a6d1e90'
down_revision = '5e1b7c0a9d42'
branch_labels = None
depends_on = None

evidence = sa.table('evidence_files', sa.column('id', sa.Integer), sa.column('storage_name', sa.String),
                    sa.column('content', sa.LargeBinary))
jobs = sa.table('report_jobs', sa.column('id', sa.String), sa.column('status', sa.String),
                sa.column('archive', sa.LargeBinary), sa.column('archive_size', sa.Integer))


def _instance() -> Path | None:
    return Path(current_app.instance_path) if has_app_context() else None


def upgrade():
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archive', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('archive_size', sa.Integer(), nullable=True))
    instance = _instance()
    if instance is None or op.get_context().as_sql:  # ``db upgrade --sql`` writes SQL: there are no rows to fill
        return
    bind = op.get_bind()
    # One row at a time: a programme's evidence may be far larger than memory allows at once.
    for row_id, name in bind.execute(sa.select(evidence.c.id, evidence.c.storage_name)).all():
        path = instance / 'evidence' / name
        if path.is_file():
            bind.execute(evidence.update().where(evidence.c.id == row_id).values(content=path.read_bytes()))
    for job_id, in bind.execute(sa.select(jobs.c.id).where(jobs.c.status == 'done')).all():
        path = instance / 'jobs' / f'{job_id}.zip'
        if path.is_file():
            data = path.read_bytes()
            bind.execute(jobs.update().where(jobs.c.id == job_id).values(archive=data, archive_size=len(data)))


def downgrade():
    instance = _instance()
    if instance is not None and not op.get_context().as_sql:
        bind = op.get_bind()
        folder = instance / 'evidence'
        folder.mkdir(parents=True, exist_ok=True)
        for row_id, in bind.execute(sa.select(evidence.c.id).where(evidence.c.content.is_not(None))).all():
            name, content = bind.execute(sa.select(evidence.c.storage_name, evidence.c.content)
                                         .where(evidence.c.id == row_id)).one()
            (folder / name).write_bytes(content)
        folder = instance / 'jobs'
        folder.mkdir(parents=True, exist_ok=True)
        for job_id, in bind.execute(sa.select(jobs.c.id).where(jobs.c.archive.is_not(None))).all():
            content = bind.execute(sa.select(jobs.c.archive).where(jobs.c.id == job_id)).scalar_one()
            (folder / f'{job_id}.zip').write_bytes(content)
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.drop_column('archive_size')
        batch_op.drop_column('archive')
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_column('content')
