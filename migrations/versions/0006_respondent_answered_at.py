"""when a respondent answered, for the dashboard's active members

Revision ID: 0006_respondent_answered_at
Revises: 0005_card_jobs
Create Date: 2026-11-21 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_respondent_answered_at'
down_revision = '0005_card_jobs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
    # Earlier answers get the day the survey opened: the best we know of when they came.
    op.execute(
        "UPDATE respondents SET answered_at = "
        "(SELECT COALESCE(opens_at, created_at) FROM surveys WHERE surveys.id = respondents.survey_id) "
        "WHERE answered"
    )


def downgrade():
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.drop_column('answered_at')
