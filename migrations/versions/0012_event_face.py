"""events: covers, English text, series, proposals, registration questions and answers

Revision ID: 0012_event_face
Revises: 0011_show_going
Create Date: 2026-12-02 07:10:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0012_event_face'
down_revision = '0011_show_going'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('draft', 'published', 'cancelled')"
NEW_STATUSES = "status IN ('proposed', 'declined', 'draft', 'published', 'cancelled')"


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description_en', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description_en_html', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('cover', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('series_key', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('proposed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index('ix_events_series_key', ['series_key'], unique=False)
        batch_op.create_index('ix_events_proposed_by_id', ['proposed_by_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_events_proposed_by_id_users', 'users', ['proposed_by_id'], ['id'], ondelete='SET NULL'
        )
        batch_op.drop_constraint(op.f('ck_events_status'), type_='check')
        batch_op.create_check_constraint('status', NEW_STATUSES)

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers', sa.JSON(), nullable=False, server_default='{}'))

    op.create_table(
        'event_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('required', sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('text', 'single', 'multiple', 'yesno')", name=op.f('ck_event_questions_kind')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_questions_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_questions')),
    )
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_questions_event_id'), ['event_id'], unique=False)


def downgrade():
    op.drop_table('event_questions')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('answers')
    op.execute("DELETE FROM events WHERE status IN ('proposed', 'declined')")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_status'), type_='check')
        batch_op.create_check_constraint('status', OLD_STATUSES)
        batch_op.drop_constraint('fk_events_proposed_by_id_users', type_='foreignkey')
        batch_op.drop_index('ix_events_proposed_by_id')
        batch_op.drop_index('ix_events_series_key')
        for column in ('decline_reason', 'proposed_by_id', 'series_key', 'cover',
                       'description_en_html', 'description_en', 'title_en'):
            batch_op.drop_column(column)
