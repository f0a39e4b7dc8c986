"""Rauchtest von bench/dashboard.py: ein Durchgang mit echtem Browser; geprüft werden Ausgabe und JSON,
keine Zeiten (die hängen von der Maschine ab)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def test_dashboard_messung_ein_durchgang(demo_sqlite_url, tmp_path, capsys):
    from tests.e2e.conftest import CHROMIUM

    if not __import__("pathlib").Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} fehlt")
    from bench import dashboard

    ziel = tmp_path / "d.json"
    dashboard.main(["--runden", "1", "--sitzungen", "2", "--db", demo_sqlite_url, "--json", str(ziel)])
    aus = capsys.readouterr().out
    for zeile in ("leere Streamlit-Seite (Boden)", "Karte-Seite bis Karte gezeichnet", "bis ganze Seite",
                  "Sozialraum wählen → Karte",
                  "Speicher je weiterer Sitzung"):
        assert zeile in aus
    erg = json.loads(ziel.read_text(encoding="utf-8"))
    for schluessel in ("boden", "oeffnen", "vollstaendig", "wahl_tabelle", "wahl_karte", "mb_je_sitzung"):
        assert erg[schluessel] == erg[schluessel] and erg[schluessel] >= 0  # gemessen, nicht NaN
    assert erg["oeffnen"] > 0 and erg["wahl_karte"] > 0
    assert erg["vollstaendig"] >= erg["oeffnen"]  # die Filter folgen der Karte, nie vor ihr gemessen
