"""Kartensymbole der Einrichtungen: Form als zweiter Kanal neben der Farbe, Ringe für Kontrast (WCAG 1.4.11).

Jede Einrichtungsart bekommt eine Form (Kreis, Quadrat, Raute, …; ab der neunten Art dieselben Formen mit
einem Loch in der Mitte), damit Arten nicht nur an der Farbe zu unterscheiden sind (WCAG 1.4.1). Jedes
Symbol trägt zwei Ringe: innen der zur Füllfarbe kontrastreichere von Weiß und Fast-Schwarz, außen der
andere. Damit hat das Symbol auf jedem Hintergrund (Kacheln, dunkle Choroplethen-Klassen) eine Kante
mit mindestens 3:1 Kontrast, und die Füllung hebt sich von ihrem Ring ab. Dieselben Eckpunkte zeichnen
die Leinwand im Browser (laufzeit.js) und die Legende (SVG).
"""

from __future__ import annotations

import math

HELL = "#ffffff"
DUNKEL = "#1a1a1a"


def _vieleck(n: int, *, drehung: float = -90.0, radius: float = 1.0) -> list[list[float]]:
    return [[round(radius * math.cos(math.radians(drehung + 360 * i / n)), 4),
             round(radius * math.sin(math.radians(drehung + 360 * i / n)), 4)] for i in range(n)]


def _stern(zacken: int, innen: float) -> list[list[float]]:
    punkte = []
    for i in range(2 * zacken):
        r = 1.15 if i % 2 == 0 else innen
        w = math.radians(-90 + 180 * i / zacken)
        punkte.append([round(r * math.cos(w), 4), round(r * math.sin(w), 4)])
    return punkte


_KREUZ = [[-0.35, -1], [0.35, -1], [0.35, -0.35], [1, -0.35], [1, 0.35], [0.35, 0.35], [0.35, 1], [-0.35, 1],
          [-0.35, 0.35], [-1, 0.35], [-1, -0.35], [-0.35, -0.35]]
# Einheitsformen (Radius ≈ 1, y nach unten wie auf der Leinwand); None = Kreis.
FORMEN: dict[str, list[list[float]] | None] = {
    "kreis": None,
    "quadrat": [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]],
    "dreieck": [[0, -1.2], [1.1, 0.8], [-1.1, 0.8]],
    "raute": [[0, -1.2], [1.0, 0], [0, 1.2], [-1.0, 0]],
    "dreieck_unten": [[-1.1, -0.8], [1.1, -0.8], [0, 1.2]],
    "stern": _stern(5, 0.5),
    "kreuz": _KREUZ,
    "sechseck": _vieleck(6, drehung=0.0, radius=1.05),
}


def symbol_fuer(nummer: int) -> tuple[str, bool]:
    """Form und Loch (ja/nein) für die `nummer`-te Art (0-basiert, Reihenfolge der Konfiguration)."""
    formen = list(FORMEN)
    return formen[nummer % len(formen)], (nummer // len(formen)) % 2 == 1


def _kanal(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminanz(farbe: str) -> float:
    """Relative Luminanz nach WCAG 2.1 für `#rrggbb`."""
    r, g, b = (int(farbe[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _kanal(r) + 0.7152 * _kanal(g) + 0.0722 * _kanal(b)


def kontrast(a: str, b: str) -> float:
    """Kontrastverhältnis (1 bis 21) zweier Farben `#rrggbb`."""
    la, lb = sorted((luminanz(a), luminanz(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ringe(farbe: str) -> tuple[str, str]:
    """(innerer Ring, äußerer Ring): innen die zur Füllung kontrastreichere von Hell/Dunkel, außen die andere."""
    innen = HELL if kontrast(farbe, HELL) >= kontrast(farbe, DUNKEL) else DUNKEL
    return innen, DUNKEL if innen == HELL else HELL


def svg_pfad(form: str, *, radius: float) -> str:
    """SVG-Pfad der Form um (0, 0) mit `radius` (für die Legende)."""
    punkte = FORMEN[form]
    if punkte is None:
        return (f"M{-radius:g},0a{radius:g},{radius:g} 0 1,0 {2 * radius:g},0"
                f"a{radius:g},{radius:g} 0 1,0 {-2 * radius:g},0Z")
    return "M" + "L".join(f"{x * radius:.2f},{y * radius:.2f}" for x, y in punkte) + "Z"


def legenden_svg(form: str, loch: bool, farbe: str, *, gremium: bool = False) -> str:
    """Das Kartensymbol als kleines SVG (Farbe bereits geprüft als #rrggbb)."""
    innen, aussen = ringe(farbe)
    r = 5.0
    teile = [f'<path d="{svg_pfad(form, radius=r)}" fill="none" stroke="{aussen}" stroke-width="5"/>']
    if gremium:  # wie auf der Karte: ein Kreis um das Symbol, dunkel mit hellem Saum
        teile[:0] = [f'<circle r="{r + 3:g}" fill="none" stroke="{HELL}" stroke-width="3.5"/>',
                     f'<circle r="{r + 3:g}" fill="none" stroke="{DUNKEL}" stroke-width="1.5"/>']
    teile.append(f'<path d="{svg_pfad(form, radius=r)}" fill="{farbe}" stroke="{innen}" stroke-width="2"/>')
    if loch:
        teile.append(f'<circle r="1.6" fill="{innen}"/>')
    return ('<svg class="symbol" width="20" height="20" viewBox="-10 -10 20 20" aria-hidden="true" '
            f'focusable="false">{"".join(teile)}</svg>')
