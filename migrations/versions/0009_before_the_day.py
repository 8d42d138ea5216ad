"""Before the day: reporting units and their submission links, documents and who opened them,
kiến nghị sent by a unit with their Ban's drafted answer, delegates' confirmations of
attendance, the closing of submissions, and the Ban an account answers for

Revision ID: 0009_before_the_day
Revises: 0008_invitation_reports
Create Date: 2026-12-08

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_before_the_day'
down_revision = '0008_invitation_reports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reporting_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('asks_report', sa.Boolean(), nullable=False),
    sa.Column('asks_kien_nghi', sa.Boolean(), nullable=False),
    sa.Column('contact', sa.String(length=300), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_reporting_units_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_reporting_units_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_units')),
    sa.UniqueConstraint('meeting_id', 'organisation_id', name=op.f('uq_reporting_units_meeting_id'))
    )
    with op.batch_alter_table('reporting_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_units_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_name', sa.String(length=100), nullable=False),
    sa.Column('pdf_name', sa.String(length=100), nullable=True),
    sa.Column('submitted_by', sa.String(length=200), server_default='', nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('late', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_documents_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_documents_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['reporting_units.id'], name=op.f('fk_documents_unit_id_reporting_units'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_documents_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_unit_id'), ['unit_id'], unique=False)

    op.create_table('unit_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['reporting_units.id'], name=op.f('fk_unit_links_unit_id_reporting_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_links')),
    sa.UniqueConstraint('token', name=op.f('uq_unit_links_token'))
    )
    with op.batch_alter_table('unit_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_links_unit_id'), ['unit_id'], unique=False)

    op.create_table('document_opens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('first_opened_at', sa.DateTime(), nullable=False),
    sa.Column('last_opened_at', sa.DateTime(), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_opens_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitee_id'], ['invitees.id'], name=op.f('fk_document_opens_invitee_id_invitees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_opens')),
    sa.UniqueConstraint('document_id', 'invitee_id', name=op.f('uq_document_opens_document_id'))
    )
    with op.batch_alter_table('document_opens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_opens_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_opens_invitee_id'), ['invitee_id'], unique=False)

    with op.batch_alter_table('invitees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmation', sa.Enum('attending', 'substitute', 'absent', name='confirmation', native_enum=False, create_constraint=True, length=20), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_substitute_name', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('confirmed_substitute_position', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('confirmed_reason', sa.String(length=300), server_default='', nullable=False))

    with op.batch_alter_table('kien_nghi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_by', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('late', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('draft_answer', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('draft_answered_by', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('draft_updated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('draft_revision', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_kien_nghi_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_kien_nghi_unit_id_reporting_units'), 'reporting_units', ['unit_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submissions_closed_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_organisation_id_organisations'), 'organisations', ['organisation_id'], ['id'])



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('submissions_closed_at')

    with op.batch_alter_table('kien_nghi', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_kien_nghi_unit_id_reporting_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_kien_nghi_unit_id'))
        batch_op.drop_column('draft_revision')
        batch_op.drop_column('draft_updated_at')
        batch_op.drop_column('draft_answered_by')
        batch_op.drop_column('draft_answer')
        batch_op.drop_column('late')
        batch_op.drop_column('submitted_by')
        batch_op.drop_column('unit_id')

    with op.batch_alter_table('invitees', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_invitees_confirmation'), type_='check')
        batch_op.drop_column('confirmed_reason')
        batch_op.drop_column('confirmed_substitute_position')
        batch_op.drop_column('confirmed_substitute_name')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('confirmation')

    with op.batch_alter_table('document_opens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_opens_invitee_id'))
        batch_op.drop_index(batch_op.f('ix_document_opens_document_id'))

    op.drop_table('document_opens')
    with op.batch_alter_table('unit_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_links_unit_id'))

    op.drop_table('unit_links')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_unit_id'))
        batch_op.drop_index(batch_op.f('ix_documents_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_documents_item_id'))

    op.drop_table('documents')
    with op.batch_alter_table('reporting_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_units_meeting_id'))

    op.drop_table('reporting_units')
