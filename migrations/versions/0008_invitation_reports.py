"""meetings.reports_due and meetings.contact: the day by which the xã and phường send their reports and kiến nghị, and whom to contact, as their invitations ask

Revision ID: 0008_invitation_reports
Revises: 0007_session_version
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0008_invitation_reports'
down_revision = '0007_session_version'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings') as batch_op:
        batch_op.add_column(sa.Column('reports_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('contact', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('meetings') as batch_op:
        batch_op.drop_column('contact')
        batch_op.drop_column('reports_due')
