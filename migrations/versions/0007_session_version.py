"""users.session_version: part of every session cookie; logging out, a new password and disabling the account bump it, ending the account's sessions everywhere

Revision ID: 0007_session_version
Revises: 0006_edit_revisions
Create Date: 2026-11-28

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_session_version'
down_revision = '0006_edit_revisions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('session_version')
