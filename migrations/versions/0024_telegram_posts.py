"""telegram: the inline keyboard of an outbox message; events posted in the channel

Revision ID: 0024_telegram_posts
Revises: 0023_outbox_channel
Create Date: 2026-12-02 13:10:53

"""

from alembic import op
import sqlalchemy as sa

revision = "0024_telegram_posts"
down_revision = "0023_outbox_channel"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "telegram_posts",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("with_photo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_telegram_posts_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_telegram_posts")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_markup", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("reply_markup")

    op.drop_table("telegram_posts")
