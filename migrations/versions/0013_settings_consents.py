"""settings hold long text (the policies); members' consent to each version of them

Revision ID: 0013_settings_consents
Revises: 0012_event_face
Create Date: 2026-12-02 07:15:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0013_settings_consents'
down_revision = '0012_event_face'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('settings', schema=None) as batch_op:
        batch_op.alter_column('value', existing_type=sa.String(length=200), type_=sa.Text())
    op.create_table(
        'consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consents_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consents')),
        sa.UniqueConstraint('user_id', 'version', name='uq_consents_user_version'),
    )


def downgrade():
    op.drop_table('consents')
    op.execute("DELETE FROM settings WHERE length(value) > 200")
    with op.batch_alter_table('settings', schema=None) as batch_op:
        batch_op.alter_column('value', existing_type=sa.Text(), type_=sa.String(length=200))
