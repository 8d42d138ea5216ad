"""speaker queue: the queue's version, one waiting request per person and one speaker per item

Revision ID: 0003_speakers
Revises: 0002_live
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_speakers'
down_revision = '0002_live'
branch_labels = None
depends_on = None

WAITING = sa.text("started_at IS NULL AND withdrawn_at IS NULL")
CURRENT = sa.text("started_at IS NOT NULL AND ended_at IS NULL")


def upgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_version', sa.Integer(), server_default='0', nullable=False))
    op.create_index('uq_speaker_waiting', 'speaker_requests', ['item_id', 'invitee_id'], unique=True,
                    sqlite_where=WAITING, postgresql_where=WAITING)
    op.create_index('uq_speaker_current', 'speaker_requests', ['item_id'], unique=True,
                    sqlite_where=CURRENT, postgresql_where=CURRENT)


def downgrade():
    op.drop_index('uq_speaker_current', table_name='speaker_requests')
    op.drop_index('uq_speaker_waiting', table_name='speaker_requests')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('queue_version')
