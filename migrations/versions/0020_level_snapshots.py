"""members' engagement levels, a snapshot a month

Revision ID: 0020_level_snapshots
Revises: 0019_notes
Create Date: 2026-12-02 08:50:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0020_level_snapshots'
down_revision = '0019_notes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'level_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('level', sa.String(length=12), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_level_snapshots_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_level_snapshots')),
        sa.UniqueConstraint('user_id', 'month', name='uq_level_snapshots_user_month'),
    )
    with op.batch_alter_table('level_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_level_snapshots_month'), ['month'], unique=False)


def downgrade():
    op.drop_table('level_snapshots')
