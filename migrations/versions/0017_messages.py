"""messages from the team to people; announcements and introductions a member may turn off

Revision ID: 0017_messages
Revises: 0016_segments
Create Date: 2026-12-02 08:10:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0017_messages'
down_revision = '0016_segments'
branch_labels = None
depends_on = None

OLD = "category IN ('reminders', 'coffee', 'surveys')"
NEW = "category IN ('announcements', 'reminders', 'coffee', 'surveys', 'introductions')"


def upgrade():
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body_md', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('audience', sa.String(length=10), nullable=False),
        sa.Column('segment_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('event_group', sa.String(length=12), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("audience IN ('everyone', 'segment', 'event')", name=op.f('ck_messages_audience')),
        sa.CheckConstraint("status IN ('draft', 'scheduled', 'sent')", name=op.f('ck_messages_status')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_messages_event_id_events'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], name=op.f('fk_messages_segment_id_segments'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    )
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_preferences_category'), type_='check')
        batch_op.create_check_constraint('category', NEW)


def downgrade():
    op.execute("DELETE FROM preferences WHERE category IN ('announcements', 'introductions')")
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_preferences_category'), type_='check')
        batch_op.create_check_constraint('category', OLD)
    op.drop_table('messages')
