"""the outbox's channel: email or telegram; members choose telegram per category too

Revision ID: 0023_outbox_channel
Revises: 0022_telegram
Create Date: 2026-12-02 11:15:14

"""
from alembic import op
import sqlalchemy as sa

revision = '0023_outbox_channel'
down_revision = '0022_telegram'
branch_labels = None
depends_on = None

BOTH = "channel IN ('email', 'telegram')"
EMAIL = "channel IN ('email')"


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='email', nullable=False))
        batch_op.create_check_constraint('channel', BOTH)
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_preferences_channel'), type_='check')
        batch_op.create_check_constraint('channel', BOTH)


def downgrade():
    op.execute("DELETE FROM outbox_messages WHERE channel = 'telegram'")
    op.execute("DELETE FROM preferences WHERE channel = 'telegram'")
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_preferences_channel'), type_='check')
        batch_op.create_check_constraint('channel', EMAIL)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_messages_channel'), type_='check')
        batch_op.drop_column('channel')
