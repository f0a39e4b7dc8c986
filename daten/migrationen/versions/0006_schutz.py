"""Schutz durch die Datenbank: Änderungsprotokoll nur anfügen (SQLite-Trigger, PostgreSQL auch gegen TRUNCATE),
Rechtetabelle und Zeilenrichtlinien (row-level security) je Sozialraum auf PostgreSQL aus daten.politik.

`ressourcenkarte init` gleicht die Richtlinien nach jeder Migration erneut an die erklärte Politik an.

Revision ID: 0006_schutz
Revises: 0004_pflege
"""
from alembic import op

from daten.schutz import wende_datenbankregeln_an

revision = '0006_schutz'
down_revision = '0004_pflege'
branch_labels = None
depends_on = None


def upgrade() -> None:
    wende_datenbankregeln_an(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS aenderung_kein_aendern")
        op.execute("DROP TRIGGER IF EXISTS aenderung_kein_loeschen")
