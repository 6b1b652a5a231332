"""mail preferences per category, one-click unsubscribe links on bulk mail, mail given up

Revision ID: 0008_mail_preferences
Revises: 0007_coffee_share_contact
Create Date: 2026-12-01 20:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_mail_preferences'
down_revision = '0007_coffee_share_contact'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "category IN ('reminders', 'coffee', 'surveys')", name=op.f('ck_preferences_category')
        ),
        sa.CheckConstraint("channel IN ('email')", name=op.f('ck_preferences_channel')),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_preferences_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('user_id', 'category', 'channel', name=op.f('pk_preferences')),
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
    # What ran out of attempts before this revision is given up as it was.
    op.execute("UPDATE outbox_messages SET failed_at = send_after WHERE sent_at IS NULL AND attempts >= 8")


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('failed_at')
        batch_op.drop_column('unsubscribe_url')
    op.drop_table('preferences')
