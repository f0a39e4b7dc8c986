"""Grund einer Absage (iTIP METHOD:CANCEL): steht in der Absage an die Eingeladenen und bleibt an der Sitzung.

Revision ID: 0008_kalender
Revises: 0007_gremium_alltag
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_kalender'
down_revision = '0007_gremium_alltag'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sitzung', sa.Column('absage_grund', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sitzung') as batch:
        batch.drop_column('absage_grund')
