"""Alembic-Umgebung: die Verbindung kommt von `daten.db.migriere` (config.attributes)."""

from alembic import context

from daten import oeffentlich
from daten.modelle import Basis

verbindung = context.config.attributes.get("connection")
if verbindung is None:  # pragma: no cover - nur bei direktem `alembic`-Aufruf
    raise SystemExit("Bitte 'ressourcenkarte init' benutzen; es übergibt die Datenbankverbindung.")

context.configure(connection=verbindung, target_metadata=Basis.metadata, render_as_batch=True)
with context.begin_transaction():
    # Die öffentlichen Sichten hängen an Tabellen: vor dem Umbau entfernen, danach neu anlegen (daten.oeffentlich)
    oeffentlich.entferne_sichten(verbindung)
    context.run_migrations()
    oeffentlich.lege_sichten_an(verbindung)
