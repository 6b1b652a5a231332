"""imports of member lists, and the invitations they make

Revision ID: 0014_imports_invitations
Revises: 0013_settings_consents
Create Date: 2026-12-02 07:45:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0014_imports_invitations'
down_revision = '0013_settings_consents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('header', sa.JSON(), nullable=False),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('sector_mapping', sa.JSON(), nullable=False),
        sa.Column('update_existing', sa.Boolean(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('problems', sa.JSON(), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'queued', 'running', 'done', 'failed')", name=op.f('ck_imports_status')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_imports_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_imports')),
    )
    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('profile', sa.JSON(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('times_sent', sa.Integer(), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_invitations_import_id_imports'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
        sa.UniqueConstraint('email', name=op.f('uq_invitations_email')),
        sa.UniqueConstraint('token', name=op.f('uq_invitations_token')),
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_import_id'), ['import_id'], unique=False)


def downgrade():
    op.drop_table('invitations')
    op.drop_table('imports')
