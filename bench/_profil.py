"""Profil einer erzeugten Karten-HTML: Bytes nach Teilen (Bibliotheken, Stile, Datenaufrufe je Funktion, Felder).

Arbeitet nur auf dem HTML-Text, unabhängig vom Innenleben von karte/: jeder Aufruf `NAME(…, {JSON}` im Skript
wird mit `json.JSONDecoder.raw_decode` gelesen und nach NAME zusammengefasst; bei Spalten-Daten (dict von
Listen) und GeoJSON (Geometrie vs. Eigenschaften) wird weiter aufgeschlüsselt.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

_AUFRUF = re.compile(r"\b((?:RK|L)\.\w+|geo_json_\w+?_add|\w+\.addData)\((?:\s*[\w$]+\s*,)?\s*(?=[{\[])")
_DEKODIERER = json.JSONDecoder()


def _laenge(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode())


def _felder(obj: Any, name: str, zaehler: Counter[str]) -> None:
    """Spalten-Daten je Schlüssel, GeoJSON nach Geometrie und Eigenschaften (je Eigenschaft)."""
    if not isinstance(obj, dict):
        return
    if obj.get("type") == "FeatureCollection":
        for f in obj.get("features", []):
            zaehler[f"{name} · geometry"] += _laenge(f.get("geometry"))
            for k, v in (f.get("properties") or {}).items():
                zaehler[f"{name} · properties.{k}"] += _laenge(v) + len(k) + 4
        return
    for k, v in obj.items():
        if isinstance(v, list) and len(v) > 1:
            zaehler[f"{name} · {k}"] += _laenge(v)


def html_profil(pfad: Path) -> tuple[int, Counter[str], Counter[str]]:
    """(Gesamtbytes, Bytes je Teil, Bytes je Feld der Datenaufrufe)."""
    html = pfad.read_text(encoding="utf-8")
    teile: Counter[str] = Counter()
    felder: Counter[str] = Counter()
    for t in re.finditer(r'<script src="data:[^"]*"', html):
        teile["Bibliotheken (data:-URI)"] += len(t.group(0).encode())
    for t in re.finditer(r"<style>.*?</style>", html, flags=re.S):
        teile["<style> (inline, z. B. Leaflet-CSS)"] += len(t.group(0).encode())
    for t in re.finditer(r"<script>(.*?)</script>", html, flags=re.S):
        if t.group(1).lstrip().startswith(("/* @preserve", "!function", "/*!")):
            teile["<script> Bibliotheken (inline)"] += len(t.group(0).encode())
    for t in _AUFRUF.finditer(html):
        try:
            obj, ende = _DEKODIERER.raw_decode(html, t.end())
        except json.JSONDecodeError:
            continue
        name = re.sub(r"geo_json_\w+_add", "geo_json_…_add", t.group(1))
        teile[f"Daten: {name}(…)"] += ende - t.end()
        _felder(obj, name, felder)
    gesamt = len(html.encode())
    teile["Rest (Kartengerüst, Laufzeit-JS, Optionen)"] = gesamt - sum(teile.values())
    return gesamt, teile, felder


def profil_text(pfad: Path, *, felder_max: int = 12) -> str:
    gesamt, teile, felder = html_profil(pfad)
    zeilen = [f"HTML-Profil {pfad.name}: {gesamt / 1e6:.2f} MB"]
    zeilen += [f"  {b / 1e6:8.2f} MB  {b / gesamt:5.1%}  {t}" for t, b in teile.most_common()]
    if felder:
        zeilen.append("  größte Felder der Datenaufrufe (Zeichen als JSON, ungefähr):")
        zeilen += [f"  {b / 1e6:8.2f} MB  {t}" for t, b in felder.most_common(felder_max)]
    return "\n".join(zeilen)
