"""whether a member appears in an event's "who's going" (on unless they say no)

Revision ID: 0011_show_going
Revises: 0010_edit_versions
Create Date: 2026-12-02 05:45:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0011_show_going'
down_revision = '0010_edit_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('show_going', sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('show_going')
