"""Legende als HTML-Zeichenkette; jeder Text wird hier mit `html.escape` maskiert, Farben geprüft.

Die Legende ist das einzige HTML, das Python für den Browser baut: feste Tags, Texte maskiert, Farben
nur als `#rrggbb`. Sie läuft durch keine Vorlage (als JSON in `RK.legende`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

_FARBE = re.compile(r"^#[0-9a-fA-F]{6}$")


def sichere_farbe(farbe: object, *, ersatz: str = "#888888") -> str:
    """Nur `#rrggbb` gelangt in Stile (CSS im HTML und im Canvas); alles andere wird grau."""
    return farbe if isinstance(farbe, str) and _FARBE.match(farbe) else ersatz


@dataclass(frozen=True)
class Eintrag:
    """Eine Legendenzeile: Symbolart (punkt, linie, gestrichelt, knoten, kasten, kreis, gremium), Farbe, Text.

    Bei `punkt` die Form des Kartensymbols (karte/symbole.py) und ob es ein Loch hat.
    """

    symbol: str
    farbe: str
    text: str
    form: str = "kreis"
    loch: bool = False


@dataclass(frozen=True)
class Abschnitt:
    """Überschrift mit Zeilen."""

    titel: str
    eintraege: tuple[Eintrag, ...]
    hinweis: str = ""


def _symbol(e: Eintrag) -> str:
    from karte.symbole import FORMEN, legenden_svg

    farbe = sichere_farbe(e.farbe)
    if e.symbol == "punkt":
        return legenden_svg(e.form if e.form in FORMEN else "kreis", bool(e.loch), farbe)
    if e.symbol == "gremium":
        return legenden_svg("kreis", False, "#bbbbbb", gremium=True)
    if e.symbol == "knoten":
        return f'<span class="knoten" style="background:{farbe}"></span>'
    if e.symbol in ("linie", "gestrichelt"):
        klasse = "linie gestrichelt" if e.symbol == "gestrichelt" else "linie"
        return f'<span class="{klasse}" style="border-top-color:{farbe}"></span>'
    if e.symbol == "kreis":
        return f'<span class="kreis" style="border-color:{farbe};background:{farbe}22"></span>'
    return f'<span class="kasten" style="background:{farbe}"></span>'


def legende_html(abschnitte: list[Abschnitt], *, titel: str = "Legende", offen: bool = True) -> str:
    """HTML der Legende (aufklappbar); leere Abschnitte entfallen."""
    teile = [f'<details{" open" if offen else ""}><summary>{escape(titel)}</summary>']
    for ab in abschnitte:
        if not ab.eintraege:
            continue
        zeilen = "".join(f"<li>{_symbol(e)}<span>{escape(e.text)}</span></li>" for e in ab.eintraege)
        hinweis = f'<div class="hinweis">{escape(ab.hinweis)}</div>' if ab.hinweis else ""
        teile.append(f"<h4>{escape(ab.titel)}</h4>{hinweis}<ul>{zeilen}</ul>")
    teile.append("</details>")
    return "".join(teile)
