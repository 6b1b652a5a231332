"""coffee partners see a member's email and contact only with the member's consent

Revision ID: 0007_coffee_share_contact
Revises: 0006_respondent_answered_at
Create Date: 2026-12-01 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_coffee_share_contact'
down_revision = '0006_respondent_answered_at'
branch_labels = None
depends_on = None


def upgrade():
    # Nobody has agreed yet: existing members keep their contacts private until they choose.
    with op.batch_alter_table('coffee_subscriptions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('share_contact', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('coffee_subscriptions', schema=None) as batch_op:
        batch_op.drop_column('share_contact')
