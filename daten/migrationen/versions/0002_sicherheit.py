"""Sicherheit: Demo-Kennzeichen der Konten, Anmeldesperren, CHECK-Bedingungen für feste Wertemengen,
Änderungsprotokoll nur anfügen (PostgreSQL-Trigger).

Die Werte der CHECK-Bedingungen stehen hier fest (Stand dieser Migration), nicht aus daten.werte
importiert: eine Migration beschreibt einen Zeitpunkt. Ältere Statuswerte der Demo werden vorher
umgeschrieben; bleiben danach unbekannte Werte, bricht die Migration mit deutscher Meldung ab.

Der Trigger verhindert UPDATE und DELETE auf `aenderung` je Zeile; TRUNCATE (z. B. eine
Wiederherstellung „ersetzen“) hält er nicht auf, ebenso wenig den Eigentümer der Tabelle, der
Trigger abschalten darf – dafür sind Rechte nötig (SECURITY.md: Anwendung als Rolle ohne
Eigentümerrechte, auf `aenderung` nur SELECT und INSERT).

Revision ID: 0002_sicherheit
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_sicherheit'
down_revision = '0001'
branch_labels = None
depends_on = None

_CHECKS = {
    "sitzung": ("ck_sitzung_status",
                "status IN ('geplant', 'eingeladen', 'durchgefuehrt', 'protokolliert', 'versendet')"),
    "massnahme": ("ck_massnahme_status", "status IN ('beantragt', 'genehmigt', 'umgesetzt', 'abgelehnt')"),
    "netzwerk": ("ck_netzwerk_status", "status IN ('besteht', 'soll entwickelt werden')"),
    "protokollpunkt": ("ck_protokollpunkt_frage", "frage >= 1"),
    "benutzer": ("ck_benutzer_rolle",
                 "rolle IN ('admin', 'jugendhilfeplanung', 'teamleitung', 'mitglied', 'lenkungsgruppe')"),
    "sozialraum": ("ck_sozialraum_stufe", "stufe BETWEEN 1 AND 3"),
    "aenderung": ("ck_aenderung_aktion", "aktion IN ('anlegen', 'aendern', 'loeschen', 'sammel', 'sperre')"),
}
_ALTE_WERTE = [
    ("sitzung", "status", "durchgeführt", "durchgefuehrt"),
    ("massnahme", "status", "abgeschlossen", "umgesetzt"),
    ("massnahme", "status", "laufend", "genehmigt"),
]

_TRIGGER_FUNKTION = """
CREATE OR REPLACE FUNCTION aenderung_nur_anfuegen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Das Änderungsprotokoll (aenderung) ist unveränderlich: % abgelehnt.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""
_TRIGGER = """
CREATE TRIGGER aenderung_nur_anfuegen BEFORE UPDATE OR DELETE ON aenderung
FOR EACH ROW EXECUTE FUNCTION aenderung_nur_anfuegen();
"""


def upgrade() -> None:
    conn = op.get_bind()
    # Bisher im Demo-Modus angelegte Konten sind als solche erkennbar (Anzeigename "… (Demo)").
    with op.batch_alter_table('benutzer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('demo', sa.Boolean(), server_default=sa.false(), nullable=False))
    conn.execute(sa.text("UPDATE benutzer SET demo = :ja WHERE anzeigename LIKE '%(Demo)'"), {"ja": True})

    op.create_table('anmeldesperre',
    sa.Column('schluessel', sa.String(length=200), nullable=False),
    sa.Column('fehlversuche', sa.Integer(), nullable=False),
    sa.Column('letzter_fehlversuch', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gesperrt_bis', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('schluessel')
    )

    for tabelle, spalte, alt, neu in _ALTE_WERTE:
        conn.execute(sa.text(f"UPDATE {tabelle} SET {spalte} = :neu WHERE {spalte} = :alt"), {"neu": neu, "alt": alt})
    for tabelle, (_name, bedingung) in _CHECKS.items():
        falsch = conn.execute(sa.text(f"SELECT count(*) FROM {tabelle} WHERE NOT ({bedingung})")).scalar()
        if falsch:
            raise RuntimeError(
                f"Migration 0002: {falsch} Zeilen in '{tabelle}' verletzen die neue Regel '{bedingung}'. "
                "Bitte diese Werte korrigieren und 'ressourcenkarte init' erneut ausführen.")
    for tabelle, (name, bedingung) in _CHECKS.items():
        with op.batch_alter_table(tabelle, schema=None) as batch_op:
            batch_op.create_check_constraint(name, bedingung)

    if conn.dialect.name == "postgresql":
        op.execute(_TRIGGER_FUNKTION)
        op.execute(_TRIGGER)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS aenderung_nur_anfuegen ON aenderung")
        op.execute("DROP FUNCTION IF EXISTS aenderung_nur_anfuegen()")
    for tabelle, (name, _bedingung) in _CHECKS.items():
        with op.batch_alter_table(tabelle, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_='check')
    op.drop_table('anmeldesperre')
    with op.batch_alter_table('benutzer', schema=None) as batch_op:
        batch_op.drop_column('demo')
