"""a member may get their registrations' messages in Telegram too (by email they always go)

Revision ID: 0025_registrations_in_telegram
Revises: 0024_telegram_posts
Create Date: 2026-12-02 13:40:00

"""
from alembic import op

revision = '0025_registrations_in_telegram'
down_revision = '0024_telegram_posts'
branch_labels = None
depends_on = None

OLD = "category IN ('announcements', 'reminders', 'coffee', 'surveys', 'introductions')"
NEW = ("category IN ('announcements', 'reminders', 'coffee', 'surveys', 'introductions', "
       "'registrations')")


def upgrade():
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_preferences_category'), type_='check')
        batch_op.create_check_constraint('category', NEW)


def downgrade():
    op.execute("DELETE FROM preferences WHERE category = 'registrations'")
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_preferences_category'), type_='check')
        batch_op.create_check_constraint('category', OLD)
