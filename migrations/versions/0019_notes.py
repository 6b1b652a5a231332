"""private notes of the team about members

Revision ID: 0019_notes
Revises: 0018_outbox_claims
Create Date: 2026-12-02 08:40:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0019_notes'
down_revision = '0018_outbox_claims'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('about_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.String(length=2000), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['about_id'], ['users.id'], name=op.f('fk_notes_about_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_notes_author_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notes')),
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_about_id'), ['about_id'], unique=False)


def downgrade():
    op.drop_table('notes')
