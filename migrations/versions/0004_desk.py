"""secretary's desk: revisions of notes and conclusions, the desk's version, document numbers,
the kiến nghị's answering remark

Revision ID: 0004_desk
Revises: 0003_speakers
Create Date: 2026-11-27

"""
from alembic import op
import sqlalchemy as sa


revision = '0004_desk'
down_revision = '0003_speakers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desk_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('minutes_number', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('notice_number', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('notice_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('notice_recipients', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('conclusions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('kien_nghi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaker_request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key('fk_kien_nghi_speaker_request', 'speaker_requests',
                                    ['speaker_request_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('kien_nghi', schema=None) as batch_op:
        batch_op.drop_constraint('fk_kien_nghi_speaker_request', type_='foreignkey')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('speaker_request_id')
    with op.batch_alter_table('conclusions', schema=None) as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('notice_recipients')
        batch_op.drop_column('notice_date')
        batch_op.drop_column('notice_number')
        batch_op.drop_column('minutes_number')
        batch_op.drop_column('desk_version')
