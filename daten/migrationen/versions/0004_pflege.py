"""Pflege: Bestätigungsdatum (Frische) und Schließgrund der Einrichtungen, Koordination und Bestätigung
der Netzwerke.

Spalten werden mit einfachem ADD COLUMN ergänzt, nicht im Batch-Modus: SQLite müsste dafür die Tabelle
neu anlegen und die alte löschen – mit eingeschalteten Fremdschlüsseln löscht das per ON DELETE CASCADE
die Netzwerk-Mitgliedschaften mit. `bestaetigt_am` bestehender Zeilen = Tag ihrer letzten Änderung laut
Änderungsprotokoll (sonst heute), damit nicht alles sofort als veraltet gilt.

Revision ID: 0004_pflege
Revises: 0005_analysen
Create Date: 2026-11-25 18:10:00
"""
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision = '0004_pflege'
down_revision = '0005_analysen'
branch_labels = None
depends_on = None


def _letzte_aenderung(conn, tabelle: str) -> dict[int, date]:
    a = sa.table("aenderung", sa.column("tabelle"), sa.column("datensatz_id"), sa.column("zeitpunkt"))
    zeilen = conn.execute(sa.select(a.c.datensatz_id, sa.func.max(a.c.zeitpunkt))
                          .where(a.c.tabelle == tabelle).group_by(a.c.datensatz_id))
    ergebnis = {}
    for datensatz_id, zeitpunkt in zeilen:
        if datensatz_id is None or zeitpunkt is None:
            continue
        if isinstance(zeitpunkt, str):  # SQLite liefert Text
            zeitpunkt = datetime.fromisoformat(zeitpunkt.replace(" ", "T"))
        ergebnis[datensatz_id] = zeitpunkt.date()
    return ergebnis


def _bestaetigung_nachtragen(tabelle: str) -> None:
    conn = op.get_bind()
    t = sa.table(tabelle, sa.column("id"), sa.column("bestaetigt_am"))
    letzte = _letzte_aenderung(conn, tabelle)
    heute = date.today()
    for (datensatz_id,) in conn.execute(sa.select(t.c.id)).all():
        conn.execute(sa.update(t).where(t.c.id == datensatz_id)
                     .values(bestaetigt_am=letzte.get(datensatz_id, heute)))


def upgrade() -> None:
    op.add_column('einrichtung', sa.Column('bestaetigt_am', sa.Date(), nullable=True))
    op.add_column('einrichtung', sa.Column('bestaetigt_von', sa.String(length=80), nullable=True))
    op.add_column('einrichtung', sa.Column('schliessgrund', sa.Text(), nullable=True))
    op.add_column('netzwerk', sa.Column('bestaetigt_am', sa.Date(), nullable=True))
    op.add_column('netzwerk', sa.Column('bestaetigt_von', sa.String(length=80), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN mit REFERENCES ist in SQLite erlaubt (Standardwert NULL); kein Tabellen-Neubau
        op.execute("ALTER TABLE netzwerk ADD COLUMN koordination_id INTEGER "
                   "REFERENCES einrichtung (id) ON DELETE SET NULL")
    else:
        op.add_column('netzwerk', sa.Column('koordination_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_netzwerk_koordination_id', 'netzwerk', 'einrichtung',
                              ['koordination_id'], ['id'], ondelete='SET NULL')
    _bestaetigung_nachtragen('einrichtung')
    _bestaetigung_nachtragen('netzwerk')


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        # koordination_id steht in einer REFERENCES-Klausel: SQLite kann sie nur per Tabellen-Neubau entfernen,
        # und der löscht per CASCADE die Mitgliedschaften – daher sichern und zurückschreiben.
        nm = sa.table("netzwerk_mitglied", sa.column("netzwerk_id"), sa.column("einrichtung_id"))
        mitglieder = [dict(z._mapping) for z in conn.execute(sa.select(nm.c.netzwerk_id, nm.c.einrichtung_id))]
        with op.batch_alter_table('netzwerk', recreate='always') as batch:
            batch.drop_column('koordination_id')
            batch.drop_column('bestaetigt_von')
            batch.drop_column('bestaetigt_am')
        conn.execute(sa.delete(nm))
        if mitglieder:
            conn.execute(sa.insert(nm), mitglieder)
    else:
        op.drop_constraint('fk_netzwerk_koordination_id', 'netzwerk', type_='foreignkey')
        for spalte in ('koordination_id', 'bestaetigt_von', 'bestaetigt_am'):
            op.drop_column('netzwerk', spalte)
    for spalte in ('schliessgrund', 'bestaetigt_von', 'bestaetigt_am'):
        op.drop_column('einrichtung', spalte)
