"""Offene Daten: veröffentlichte Bezeichnungen und Kennzahlen; die Sichten oeffentlich_* legt
daten.oeffentlich nach jeder Migration an (migrationen/env.py).

Revision ID: 0009_offene_daten
Revises: 0008_kalender
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_offene_daten'
down_revision = '0008_kalender'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'offene_bezeichnung',
        sa.Column('liste', sa.String(length=40), nullable=False),
        sa.Column('schluessel', sa.String(length=80), nullable=False),
        sa.Column('bezeichnung', sa.String(length=300), nullable=False),
        sa.Column('einheit', sa.String(length=40), nullable=True),
        sa.Column('art', sa.String(length=10), nullable=False),
        sa.Column('reihenfolge', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('liste', 'schluessel'),
    )
    op.create_table(
        'offene_kennzahl',
        sa.Column('ebene', sa.String(length=20), nullable=False),
        sa.Column('gebiet_id', sa.Integer(), nullable=False),
        sa.Column('jahr', sa.Integer(), nullable=False),
        sa.Column('schluessel', sa.String(length=80), nullable=False),
        sa.Column('wert', sa.Float(), nullable=True),
        sa.Column('text', sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint('ebene', 'gebiet_id', 'jahr', 'schluessel'),
    )


def downgrade() -> None:
    op.drop_table('offene_kennzahl')
    op.drop_table('offene_bezeichnung')
