"""Die Einbahnstraßen des Aufbaus: Seiten → karte/analysen → daten; nur Seiten importieren Streamlit."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parents[1]
VERBOTEN = {
    "daten": {"karte", "analysen", "seiten", "streamlit", "streamlit_folium"},
    "karte": {"seiten", "streamlit", "streamlit_folium", "sqlalchemy"},
    "analysen": {"karte", "seiten", "streamlit", "streamlit_folium", "sqlalchemy", "daten.db", "daten.repository"},
}


def _importe(datei: Path) -> set[str]:
    namen: set[str] = set()
    for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
        if isinstance(knoten, ast.Import):
            namen |= {a.name for a in knoten.names}
        elif isinstance(knoten, ast.ImportFrom) and knoten.module and knoten.level == 0:
            namen.add(knoten.module)
    return namen


@pytest.mark.parametrize("paket", sorted(VERBOTEN))
def test_importe_laufen_nur_abwaerts(paket):
    verstoesse = []
    for datei in sorted((WURZEL / paket).rglob("*.py")):
        for name in _importe(datei):
            if any(name == v or name.startswith(v + ".") for v in VERBOTEN[paket]):
                verstoesse.append(f"{datei.relative_to(WURZEL)} importiert {name}")
    assert not verstoesse, verstoesse


def test_keine_importzyklen():
    """skripte/importzyklen.py zählt auch Importe im Funktionsrumpf; Zyklen werden verschoben, nicht versteckt."""
    lauf = subprocess.run([sys.executable, str(WURZEL / "skripte" / "importzyklen.py")], capture_output=True,
                          text=True, timeout=120)
    assert lauf.returncode == 0, lauf.stdout + lauf.stderr
    assert "Keine Importzyklen" in lauf.stdout
