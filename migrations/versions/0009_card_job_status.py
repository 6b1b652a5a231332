"""a card job's status is one of four

Revision ID: 0009_card_job_status
Revises: 0008_mail_preferences
Create Date: 2026-12-02 00:10:00

"""
from alembic import op


revision = '0009_card_job_status'
down_revision = '0008_mail_preferences'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('card_jobs', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'status', "status IN ('waiting', 'running', 'ready', 'failed')"
        )


def downgrade():
    with op.batch_alter_table('card_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_card_jobs_status'), type_='check')
