"""an outbox message is claimed before it is sent, so a stopped worker never sends it twice

Revision ID: 0018_outbox_claims
Revises: 0017_messages
Create Date: 2026-12-02 08:20:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0018_outbox_claims'
down_revision = '0017_messages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
