"""an edit version on events and profiles: a second tab's save does not undo the first's

Revision ID: 0010_edit_versions
Revises: 0009_card_job_status
Create Date: 2026-12-02 05:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0010_edit_versions'
down_revision = '0009_card_job_status'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('events', 'users'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('edit_version', sa.Integer(), nullable=False, server_default='1')
            )


def downgrade():
    for table in ('events', 'users'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('edit_version')
