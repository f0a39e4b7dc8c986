"""Der Aufbau: Schichten, die nur abwärts importieren; keine Importzyklen; private Namen bleiben in ihrem Modul.

    seiten/, befehle/          Oberflächen (Streamlit-Seiten, Kommandozeile)
        ↓
    berichte/                  Bericht und Protokoll: Daten → Analysen → Kartenbilder → DOCX/PDF → E-Mail
        ↓
    karte/, analysen/          Karten aus GeoDataFrames + Konfiguration; reine Auswertungen auf Frames
        ↓
    daten/                     Konfiguration, Modelle, Datenbank, Dienste, Import/Export

Gezählt wird jeder Import, auch im Funktionsrumpf (`skripte/importzyklen.py` liest sie mit ast).
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parents[1]
SKRIPT = WURZEL / "skripte" / "importzyklen.py"

# Welche Projektmodule ein Paket importieren darf (Präfixe; das eigene Paket immer).
DARF = {
    "seiten": {"berichte", "karte", "analysen", "daten"},
    "befehle": {"berichte", "karte", "analysen", "daten"},
    "berichte": {"karte", "analysen", "daten"},
    "analysen": {"daten"},
    # Karten brauchen aus der Datenschicht nur die Konfiguration, dazu die gemeinsamen Fehlerklassen und das
    # atomare Schreiben von Dateien (HTML/PNG-Export).
    "karte": {"daten.config", "daten.fehler", "daten.dateien"},
    "daten": set(),
}
# Was innerhalb der erlaubten Präfixe trotzdem tabu ist: Analysen bekommen Frames, nie die Datenbank.
NIE = {
    "analysen": {"daten.db", "daten.repository"},
}
# Fremde Bibliotheken: Streamlit nur in seiten/ (und streamlit_app.py); Karten und Analysen ohne SQL.
FREMD_VERBOTEN = {
    "daten": {"streamlit", "streamlit_folium"},
    "karte": {"streamlit", "streamlit_folium", "sqlalchemy"},
    "analysen": {"streamlit", "streamlit_folium", "sqlalchemy"},
    "berichte": {"streamlit", "streamlit_folium"},
    "befehle": {"streamlit", "streamlit_folium"},
}
# Private Namen, die noch über Modulgrenzen gehen, weil ihre Dateien gerade anderswo neu geschrieben werden
# (Neufassung der Wächter und der Regeln). Wer eine Zeile erledigt, streicht sie hier.
NOCH_PRIVAT: set[tuple[str, str, str]] = set()


def _skript():
    spec = importlib.util.spec_from_file_location("importzyklen", SKRIPT)
    modul = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("importzyklen", modul)
    spec.loader.exec_module(modul)
    return modul


iz = _skript()
KANTEN = iz.kanten()


def _passt(name: str, praefixe: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in praefixe)


def _fremde_importe(datei: Path) -> set[str]:
    namen: set[str] = set()
    for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
        if isinstance(knoten, ast.Import):
            namen |= {a.name for a in knoten.names}
        elif isinstance(knoten, ast.ImportFrom) and knoten.module and knoten.level == 0:
            namen.add(knoten.module)
    return namen


def test_jedes_paket_hat_seinen_platz_in_den_schichten():
    assert set(iz.pakete()) == set(DARF), "neues Paket? Bitte in DARF einordnen (und im README unter Aufbau)"


@pytest.mark.parametrize("paket", sorted(DARF))
def test_importe_laufen_nur_abwaerts(paket):
    erlaubt = DARF[paket] | {paket}
    verstoesse = [f"{k.ort()}: {k.von} importiert {k.nach}" for k in KANTEN
                  if k.von.split(".")[0] == paket
                  and (not _passt(k.nach, erlaubt) or _passt(k.nach, NIE.get(paket, set())))]
    assert not verstoesse, "\n".join(verstoesse)


@pytest.mark.parametrize("paket", sorted(FREMD_VERBOTEN))
def test_fremde_bibliotheken_nur_in_ihrer_schicht(paket):
    verstoesse = [f"{datei.relative_to(WURZEL)} importiert {name}"
                  for datei in sorted((WURZEL / paket).rglob("*.py"))
                  for name in _fremde_importe(datei) if _passt(name, FREMD_VERBOTEN[paket])]
    assert not verstoesse, verstoesse


def test_private_namen_bleiben_im_modul():
    """`from x import _y` aus einem anderen Modul, `x._y` über einen importierten Modulnamen und private Module
    (`paket._modul`) außerhalb ihres Pakets zeigen einen schlechten Schnitt: verschieben oder öffentlich machen."""
    verstoesse = []
    for k in KANTEN:
        if k.von == k.nach:
            continue
        for name in k.namen:
            if name.startswith("_") and not name.startswith("__") and (k.von, k.nach, name) not in NOCH_PRIVAT:
                verstoesse.append(f"{k.ort()}: {k.von} importiert {name} aus {k.nach}")
        teile = k.nach.split(".")
        for i, teil in enumerate(teile):
            besitzer = ".".join(teile[:i])
            drinnen = k.von == besitzer or k.von.startswith(besitzer + ".")
            if teil.startswith("_") and not teil.startswith("__") and not drinnen:
                verstoesse.append(f"{k.ort()}: {k.von} importiert das private Modul {k.nach}")
    verstoesse += _private_attribute()
    assert not verstoesse, "\n".join(verstoesse)


def _private_attribute() -> list[str]:
    """`modul._name`, wo `modul` ein importiertes Projektmodul ist."""
    alle = iz.module()
    funde = []
    for name, datei in alle.items():
        baum = ast.parse(datei.read_text(encoding="utf-8"))
        module: dict[str, str] = {}
        for k in ast.walk(baum):
            if isinstance(k, ast.Import):
                module |= {a.asname: a.name for a in k.names if a.asname and a.name in alle}
            elif isinstance(k, ast.ImportFrom) and k.module and k.level == 0:
                module |= {a.asname or a.name: f"{k.module}.{a.name}" for a in k.names
                           if f"{k.module}.{a.name}" in alle}
        for k in ast.walk(baum):
            if (isinstance(k, ast.Attribute) and isinstance(k.value, ast.Name) and k.value.id in module
                    and k.attr.startswith("_") and not k.attr.startswith("__") and module[k.value.id] != name):
                funde.append(f"{datei.relative_to(WURZEL)}:{k.lineno}: {k.value.id}.{k.attr}")
    return funde


def test_keine_importzyklen():
    """skripte/importzyklen.py zählt auch Importe im Funktionsrumpf; Zyklen werden verschoben, nicht versteckt."""
    lauf = subprocess.run([sys.executable, str(SKRIPT)], capture_output=True, text=True, timeout=120)
    assert lauf.returncode == 0, lauf.stdout + lauf.stderr
    assert "Keine Importzyklen" in lauf.stdout
