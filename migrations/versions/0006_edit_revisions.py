"""revisions of a meeting's details, its documents form, a closing task and an invitee: an edit from a screen that saw an older one is refused

Revision ID: 0006_edit_revisions
Revises: 0005_checkin_indexes
Create Date: 2026-11-27

"""
import sqlalchemy as sa
from alembic import op

revision = '0006_edit_revisions'
down_revision = '0005_checkin_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conclusion_tasks') as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('meetings') as batch_op:
        batch_op.add_column(sa.Column('documents_revision', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('details_revision', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('invitees') as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('invitees') as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('meetings') as batch_op:
        batch_op.drop_column('details_revision')
        batch_op.drop_column('documents_revision')
    with op.batch_alter_table('conclusion_tasks') as batch_op:
        batch_op.drop_column('revision')
