"""introductions, their rounds, and answers a respondent lets the community quote

Revision ID: 0021_introductions
Revises: 0020_level_snapshots
Create Date: 2026-12-02 09:39:06

"""
from alembic import op
import sqlalchemy as sa

OLD_KINDS = "kind IN ('live', 'coffee')"
NEW_KINDS = "kind IN ('live', 'coffee', 'introduction')"

revision = '0021_introductions'
down_revision = '0020_level_snapshots'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('introductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('second_id', sa.Integer(), nullable=False),
    sa.Column('requested', sa.Boolean(), nullable=False),
    sa.Column('introduced_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('first_answer', sa.String(length=8), nullable=False),
    sa.Column('second_answer', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("first_answer IN ('waiting', 'yes', 'not_now')", name=op.f('ck_introductions_first_answer')),
    sa.CheckConstraint("second_answer IN ('waiting', 'yes', 'not_now')", name=op.f('ck_introductions_second_answer')),
    sa.CheckConstraint("status IN ('requested', 'proposed', 'accepted', 'declined', 'dismissed')", name=op.f('ck_introductions_status')),
    sa.CheckConstraint('first_id <> second_id', name=op.f('ck_introductions_two_people')),
    sa.ForeignKeyConstraint(['first_id'], ['users.id'], name=op.f('fk_introductions_first_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['introduced_by_id'], ['users.id'], name=op.f('fk_introductions_introduced_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_introductions_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['second_id'], ['users.id'], name=op.f('fk_introductions_second_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introductions'))
    )
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.create_index('ix_introductions_pair', ['first_id', 'second_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_second_id'), ['second_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_status'), ['status'], unique=False)

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_quote', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=8),
               type_=sa.String(length=12),
               existing_nullable=False)
        batch_op.drop_constraint(op.f('ck_rounds_kind'), type_='check')
        batch_op.create_check_constraint('kind', NEW_KINDS)



def downgrade():
    op.execute("DELETE FROM rounds WHERE kind = 'introduction'")
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rounds_kind'), type_='check')
        batch_op.create_check_constraint('kind', OLD_KINDS)
        batch_op.alter_column('kind',
               existing_type=sa.String(length=12),
               type_=sa.VARCHAR(length=8),
               existing_nullable=False)

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_column('may_quote')

    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introductions_status'))
        batch_op.drop_index(batch_op.f('ix_introductions_second_id'))
        batch_op.drop_index('ix_introductions_pair')

    op.drop_table('introductions')
