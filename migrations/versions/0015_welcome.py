"""members confirm their email; the welcome sequence's progress

Revision ID: 0015_welcome
Revises: 0014_imports_invitations
Create Date: 2026-12-02 08:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0015_welcome'
down_revision = '0014_imports_invitations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('welcome_step', sa.Integer(), nullable=False, server_default='0'))
    # Everyone already here is taken as confirmed and welcomed: nobody is locked out, and
    # nobody gets a welcome years after joining.
    op.execute("UPDATE users SET email_confirmed_at = created_at, welcome_step = 4")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('welcome_step')
        batch_op.drop_column('email_confirmed_at')
