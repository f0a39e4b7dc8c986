"""Rauchtest von bench/alltag.py: ein Durchgang mit echtem Browser; geprüft werden Ausgabe und JSON (alle Seiten
und jedes Speichern gemessen, nicht NaN), keine Zeiten (die hängen von der Maschine ab)."""

from __future__ import annotations

import json
import shutil

import pytest

pytestmark = pytest.mark.browser


def test_alltag_messung_ein_durchgang(demo_sqlite_url, tmp_path, capsys):
    from tests.e2e.conftest import CHROMIUM

    if not __import__("pathlib").Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} fehlt")
    from bench import alltag

    datei = tmp_path / "rk.db"  # die Messung speichert: eigene Kopie
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    ziel = tmp_path / "a.json"
    alltag.main(["--runden", "1", "--db", f"sqlite:///{datei}", "--json", str(ziel)])
    aus = capsys.readouterr().out
    for zeile in ("Boden (Seitenwechsel in leerer App)", "Seite Vergleich", "Seite Pflege",
                  "Pflege „Stimmt noch“ → Bestätigung", "Pflege „Änderungen speichern“ → Bestätigung",
                  "Start „Stimmt noch“ → Bestätigung"):
        assert zeile in aus
    erg = json.loads(ziel.read_text(encoding="utf-8"))
    for schluessel in ("boden", *(f"seite:{s}" for s in alltag.SEITEN), "speichern:pflege_bestaetigen",
                       "speichern:pflege_aendern", "speichern:start_stimmt_noch"):
        assert erg[schluessel] == erg[schluessel] and erg[schluessel] > 0, schluessel  # gemessen, nicht NaN
