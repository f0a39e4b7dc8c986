"""Gremium im Alltag und was das Haus verlässt: abgesagte Sitzungen und iCalendar-SEQUENCE, Grund für eine
Abweichung vom Wechsel der Protokollführung (4.1), vom Gremium beschlossene Maßnahmen (5.3) und ihr
Umsetzungsdatum, die Rolle „Verteiler“ (3.2.3), Stufenbeschlüsse mit Urheber und Sprunggrund (3.1), eine
gemeinsame Reflexion je Jahr (5.2), der Bericht der Teamleitung an die Lenkungsgruppe (4.2), Einschätzungen je
Frage für den Jahresbericht (3.2.4), die amtliche Nummer der Stadtteile und die letzten Anmeldungen.

CHECK-Bedingungen ändern: SQLite baut die Tabelle neu (batch; `daten.db.migriere` schaltet die
Fremdschlüssel vorher ab und prüft sie danach), PostgreSQL ersetzt die Bedingung.

Revision ID: 0007_gremium_alltag
Revises: 0006_schutz
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_gremium_alltag'
down_revision = '0006_schutz'
branch_labels = None
depends_on = None

_SITZUNG_ALT = ("geplant", "eingeladen", "durchgefuehrt", "protokolliert", "versendet")
_MASSNAHME_ALT = ("beantragt", "genehmigt", "umgesetzt", "abgelehnt")
_ROLLEN_ALT = ("admin", "jugendhilfeplanung", "teamleitung", "mitglied", "lenkungsgruppe")


def _liste(werte) -> str:
    return ", ".join(f"'{w}'" for w in werte)


def _check_ersetzen(tabelle: str, name: str, spalte: str, werte) -> None:
    with op.batch_alter_table(tabelle) as batch:
        batch.drop_constraint(name, type_="check")
        batch.create_check_constraint(name, sa.text(f"{spalte} IN ({_liste(werte)})"))


def upgrade() -> None:
    op.add_column('sitzung', sa.Column('protokoll_bereich_grund', sa.Text(), nullable=True))
    op.add_column('sitzung', sa.Column('sequenz', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('massnahme', sa.Column('umgesetzt_am', sa.Date(), nullable=True))
    op.add_column('stufenbeschluss', sa.Column('beschlossen_von', sa.String(length=80), nullable=True))
    op.add_column('stufenbeschluss', sa.Column('sprung_grund', sa.Text(), nullable=True))
    op.add_column('stadtteil', sa.Column('nummer', sa.String(length=20), nullable=True))
    op.add_column('benutzer', sa.Column('letzte_anmeldung', sa.DateTime(timezone=True), nullable=True))
    op.add_column('benutzer', sa.Column('vorige_anmeldung', sa.DateTime(timezone=True), nullable=True))
    _check_ersetzen('sitzung', 'ck_sitzung_status', 'status', (*_SITZUNG_ALT, "abgesagt"))
    _check_ersetzen('massnahme', 'ck_massnahme_status', 'status', (*_MASSNAHME_ALT, "beschlossen"))
    _check_ersetzen('benutzer', 'ck_benutzer_rolle', 'rolle', (*_ROLLEN_ALT, "verteiler"))
    with op.batch_alter_table('reflexion') as batch:
        batch.create_unique_constraint('uq_reflexion_jahr_art', ['jahr', 'art'])
    op.create_table(
        'lenkungsbericht',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sozialraum_id', sa.Integer(), nullable=False),
        sa.Column('jahr', sa.Integer(), nullable=False),
        sa.Column('datum', sa.Date(), nullable=False),
        sa.Column('erstattet_von', sa.String(length=80), nullable=False),
        sa.Column('inhalt', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['sozialraum_id'], ['sozialraum.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sozialraum_id', 'jahr'),
    )
    op.create_index('ix_lenkungsbericht_sozialraum_id', 'lenkungsbericht', ['sozialraum_id'])
    op.create_table(
        'bewertung',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sozialraum_id', sa.Integer(), nullable=True),
        sa.Column('jahr', sa.Integer(), nullable=False),
        sa.Column('frage', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=40), nullable=False),
        sa.Column('geaendert_von', sa.String(length=80), nullable=True),
        sa.Column('geaendert_am', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['sozialraum_id'], ['sozialraum.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sozialraum_id', 'jahr', 'frage'),
    )
    op.create_index('ix_bewertung_sozialraum_id', 'bewertung', ['sozialraum_id'])


def downgrade() -> None:
    op.drop_index('ix_bewertung_sozialraum_id', table_name='bewertung')
    op.drop_table('bewertung')
    op.drop_index('ix_lenkungsbericht_sozialraum_id', table_name='lenkungsbericht')
    op.drop_table('lenkungsbericht')
    with op.batch_alter_table('reflexion') as batch:
        batch.drop_constraint('uq_reflexion_jahr_art', type_='unique')
    _check_ersetzen('benutzer', 'ck_benutzer_rolle', 'rolle', _ROLLEN_ALT)
    _check_ersetzen('massnahme', 'ck_massnahme_status', 'status', _MASSNAHME_ALT)
    _check_ersetzen('sitzung', 'ck_sitzung_status', 'status', _SITZUNG_ALT)
    for tabelle, spalte in (('benutzer', 'vorige_anmeldung'), ('benutzer', 'letzte_anmeldung'),
                            ('stadtteil', 'nummer'), ('stufenbeschluss', 'sprung_grund'),
                            ('stufenbeschluss', 'beschlossen_von'), ('massnahme', 'umgesetzt_am'),
                            ('sitzung', 'sequenz'), ('sitzung', 'protokoll_bereich_grund')):
        with op.batch_alter_table(tabelle) as batch:
            batch.drop_column(spalte)
