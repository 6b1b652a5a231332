"""saved segments of members

Revision ID: 0016_segments
Revises: 0015_welcome
Create Date: 2026-12-02 08:05:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0016_segments'
down_revision = '0015_welcome'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'segments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('criteria', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_segments_owner_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_segments')),
    )


def downgrade():
    op.drop_table('segments')
