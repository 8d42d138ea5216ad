"""live meeting: ad-hoc breaks, the time an agenda item was actually held

Revision ID: 0002_live
Revises: 0001
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


revision = '0002_live'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('break_started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('break_ends_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_seconds', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('resumed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('resumed_at')
        batch_op.drop_column('held_seconds')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('break_ends_at')
        batch_op.drop_column('break_started_at')
