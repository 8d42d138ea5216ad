"""check-in lookups by index: a retried request's nonce, and who sits in an invitee's place

Revision ID: 0005_checkin_indexes
Revises: 0004_desk
Create Date: 2026-11-27

"""
from alembic import op


revision = '0005_checkin_indexes'
down_revision = '0004_desk'
branch_labels = None
depends_on = None


def upgrade():
    # Every door scan asks for the check-in of its nonce and for the people holding the seat:
    # without these, both read every check-in or every invitee (docs/benchmarks.md).
    op.create_index('ix_checkins_meeting_id_client_nonce', 'checkins', ['meeting_id', 'client_nonce'])
    op.create_index('ix_invitees_substitute_for_id', 'invitees', ['substitute_for_id'])


def downgrade():
    op.drop_index('ix_invitees_substitute_for_id', table_name='invitees')
    op.drop_index('ix_checkins_meeting_id_client_nonce', table_name='checkins')
