"""Statische Kartenbilder (PNG) für Berichte: schnell, offline, ohne Browser (matplotlib, Agg).

Gezeichnet wird im metrischen KBS der Kommune (unverzerrt); Stadtteile nach Bedarfsklasse eingefärbt, Sozialraum-
grenzen, Einrichtungen als Punkte in der Farbe ihrer Art. Dazu, was eine Karte im Bericht braucht: Titel (Gebiet
und Jahr), Legende (Bedarfsklassen, Einrichtungsarten, Grenzen), Maßstabsleiste, Nordpfeil, Quellenvermerk und
Stadtteilnamen, die sich nicht überdecken. Texte werden nie als Mathe-Auszeichnung gelesen (ein `$` im Namen
bleibt ein `$`). Jedes Bild hat eine Textalternative (`beschreibung`). Welche Bilder ein Bericht bekommt,
entscheidet `berichte.bericht`.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import geopandas as gpd

KLASSENFARBEN = {  # ColorBrewer OrRd (4), Bedarf gering → hoch
    "gering": "#fef0d9", "mittel": "#fdcc8a", "erhöht": "#fc8d59", "hoch": "#d7301f", "keine Angabe": "#d9d9d9",
}
GRAU = "#eeeeee"
_MASSSTAEBE = (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000)



def massstab_m(breite_m: float) -> int:
    """Eine runde Länge für die Maßstabsleiste: höchstens ein Viertel der Kartenbreite."""
    passend = [m for m in _MASSSTAEBE if m <= breite_m / 4]
    return passend[-1] if passend else _MASSSTAEBE[0]


def _laenge(m: int) -> str:
    return f"{m} m" if m < 1000 else f"{m / 1000:g} km".replace(".", ",")


def karte_png(stadtteile: gpd.GeoDataFrame, sozialraeume: gpd.GeoDataFrame, *,
              klassen: Mapping[str, str] | None = None, einrichtungen: gpd.GeoDataFrame | None = None,
              artfarben: Mapping[str, str] | None = None, artnamen: Mapping[str, str] | None = None,
              sozialraum: str | None = None, titel: str = "", quelle: str = "",
              crs_metrisch: int, breite_zoll: float = 6.3, dpi: int = 110) -> bytes:
    """PNG einer Karte. `stadtteile`/`sozialraeume`/`einrichtungen` in EPSG:4326 oder schon in `crs_metrisch`
    (Spalten name, sozialraum, art);
    `klassen`: Bedarfsklasse je Stadtteil; mit `sozialraum` nur dieser Sozialraum farbig, die übrigen grau.
    `artnamen`: Bezeichnung je Einrichtungsart (Legende); `quelle`: Quellenvermerk unten links."""
    import matplotlib

    # Kein Text als Mathe-Auszeichnung (ein „$“ in einem Namen ließe matplotlib sonst abbrechen oder kursiv
    # setzen); gilt für alle Texte, die in diesem Block entstehen, auch die der Legende.
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        return _zeichne(stadtteile, sozialraeume, klassen=dict(klassen or {}), einrichtungen=einrichtungen,
                        artfarben=dict(artfarben or {}), artnamen=dict(artnamen or {}), sozialraum=sozialraum,
                        titel=titel, quelle=quelle, crs=crs_metrisch, breite_zoll=breite_zoll, dpi=dpi)


def _zeichne(stadtteile: gpd.GeoDataFrame, sozialraeume: gpd.GeoDataFrame, *, klassen: dict[str, str],
             einrichtungen: gpd.GeoDataFrame | None, artfarben: dict[str, str], artnamen: dict[str, str],
             sozialraum: str | None, titel: str, quelle: str, crs: int, breite_zoll: float, dpi: int) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch

    st = stadtteile.to_crs(crs)
    sr = sozialraeume[sozialraeume.geometry.notna()].to_crs(crs)
    farben = [KLASSENFARBEN.get(klassen.get(n, "keine Angabe"), GRAU)
              if (sozialraum is None or s == sozialraum) else GRAU for n, s in zip(st["name"], st["sozialraum"],
                                                                                     strict=True)]
    # Figure ohne pyplot: kein globaler Zustand, kein interaktives Neuzeichnen (schnell, threadsicher)
    fig = Figure(figsize=(breite_zoll, breite_zoll * 0.72), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.07, 0.70, 0.84))
    ax.set_axis_off()
    ax.add_collection(PatchCollection([PathPatch(_pfad(g)) for g in st.geometry], facecolors=farben,
                                      edgecolors="#888888", linewidths=0.5))
    ax.add_collection(PatchCollection([PathPatch(_pfad(g)) for g in sr.geometry], facecolors="none",
                                      edgecolors="#2c3e50", linewidths=1.2))
    if sozialraum is not None:
        ax.add_collection(PatchCollection([PathPatch(_pfad(g)) for g in sr.loc[sr["name"] == sozialraum,
                                                                               "geometry"]],
                                          facecolors="none", edgecolors="#000000", linewidths=2.4))
    x0, y0, x1, y1 = st.total_bounds
    if sozialraum is not None and (sr["name"] == sozialraum).any():
        x0, y0, x1, y1 = sr[sr["name"] == sozialraum].total_bounds
        rand = max(x1 - x0, y1 - y0) * 0.15
        x0, y0, x1, y1 = x0 - rand, y0 - rand, x1 + rand, y1 + rand
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.apply_aspect()  # Grenzen jetzt anpassen: Maßstab und Namen rechnen mit ihnen
    arten_im_bild: list[str] = []
    if einrichtungen is not None and len(einrichtungen):
        e = einrichtungen.to_crs(crs)
        if sozialraum is not None:
            e = e[e["sozialraum"] == sozialraum]
        ax.scatter(e.geometry.x, e.geometry.y, s=9, c=[artfarben.get(a, "#333333") for a in e["art"]],
                   edgecolors="white", linewidths=0.3, zorder=3)
        arten_im_bild = sorted(set(e["art"]), key=lambda a: artnamen.get(a, a))
    if artnamen:  # alle Arten der Kommune: jede Karte des Berichts hat dieselbe Legende
        arten_im_bild = sorted(artnamen, key=lambda a: artnamen[a])
    if titel:  # als Text der Figur: ax.set_title richtet sich nach allen Beschriftungen aus (≈ 40 ms je Bild)
        fig.text(0.01, 0.985, titel, fontsize=10.5, fontweight="bold", ha="left", va="top")
    _legende(fig, klassen, arten_im_bild, artfarben, artnamen)
    frei = _massstab_und_norden(ax)
    vermerk = quelle or f"Grenzen und Einrichtungen: Ressourcenkarte; Lagebezug EPSG:{crs}"
    fig.text(0.01, 0.012, vermerk, fontsize=6.5, color="#444444", ha="left", va="bottom")
    namen = set(st["name"]) if sozialraum is None else set(st.loc[st["sozialraum"] == sozialraum, "name"])
    beschrifte(fig, ax, [(n, g) for n, g in zip(st["name"], st.geometry, strict=True) if n in namen],
                  groesse=7 if sozialraum is None else 8.5, frei_halten=frei)
    puffer = io.BytesIO()
    # ohne bbox_inches="tight": spart einen zweiten Zeichenlauf; schwache Kompression: 4× schneller, Datei ≈ 30 % größer
    fig.savefig(puffer, format="png", pil_kwargs={"compress_level": 2})
    return puffer.getvalue()


def _legende(fig, klassen: dict[str, str], arten: list[str], artfarben: dict[str, str],  # noqa: ANN001
             artnamen: dict[str, str]) -> None:
    """Legende rechts neben der Karte: Bedarfsklassen (nur vorkommende), Grenzen, Einrichtungsarten. Als fertiges
    Rasterbild eingesetzt: alle Karten eines Berichts haben dieselbe Legende, ihre Texte werden einmal gesetzt."""
    vorhanden = set(klassen.values())
    eintraege = (tuple((f"Bedarf {k}", f) for k, f in KLASSENFARBEN.items() if k in vorhanden),
                 tuple((textwrap.fill(artnamen.get(a, a), 27), artfarben.get(a, "#333333")) for a in arten))
    breite_zoll = fig.bbox.width / fig.dpi * (1 - 0.72) - 0.03
    bild = _legendenbild(eintraege, int(fig.dpi), round(breite_zoll, 2))
    hoehe_px = fig.bbox.height
    fig.figimage(bild, xo=int(fig.bbox.width * 0.72), yo=int(hoehe_px * 0.91) - bild.shape[0], zorder=10)


@lru_cache(maxsize=32)
def _legendenbild(eintraege: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]], dpi: int,
                  breite_zoll: float) -> Any:
    import matplotlib
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    klassen, arten = eintraege
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        fig = Figure(figsize=(breite_zoll, 5.0), dpi=dpi)
        FigureCanvasAgg(fig)
        griffe = [Patch(facecolor=f, edgecolor="#888888", label=text) for text, f in klassen]
        griffe += [Line2D([], [], color="#2c3e50", linewidth=1.2, label="Sozialraumgrenze"),
                   Line2D([], [], color="#888888", linewidth=0.5, label="Stadtteilgrenze")]
        oben = fig.legend(handles=griffe, loc="upper left", bbox_to_anchor=(0, 1), fontsize=6.5, borderaxespad=0,
                          title="Bedarf und Grenzen", title_fontsize=7.5, frameon=False, alignment="left")
        if arten:
            punkte = [Line2D([], [], marker="o", linestyle="none", markersize=4.5, markeredgecolor="white",
                             markerfacecolor=f, label=text) for text, f in arten]
            unterkante = oben.get_window_extent(fig.canvas.get_renderer()).y0 / fig.bbox.height
            fig.legend(handles=punkte, loc="upper left", bbox_to_anchor=(0, unterkante - 0.02), fontsize=6.5,
                       borderaxespad=0, title="Einrichtungen", title_fontsize=7.5, frameon=False,
                       alignment="left")
        fig.canvas.draw()
        bild = np.asarray(fig.canvas.buffer_rgba()).copy()
    zeilen = np.where((bild[:, :, :3] < 250).any(axis=(1, 2)))[0]  # unten leeren Rand abschneiden
    return bild[: (zeilen.max() + 3 if len(zeilen) else 1)]


def _massstab_und_norden(ax) -> list[Any]:  # noqa: ANN001
    """Maßstabsleiste unten rechts (runde Länge in m/km), Nordpfeil oben rechts (Gitternord des metrischen KBS)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    laenge = massstab_m(x1 - x0)
    rechts, unten = x1 - (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    links = rechts - laenge
    hoehe = (y1 - y0) * 0.012
    ax.fill([links, links + laenge / 2, links + laenge / 2, links],
            [unten, unten, unten + hoehe, unten + hoehe], color="#222222", zorder=5)
    ax.fill([links + laenge / 2, rechts, rechts, links + laenge / 2],
            [unten, unten, unten + hoehe, unten + hoehe], facecolor="white", edgecolor="#222222", linewidth=0.6,
            zorder=5)
    text = ax.text((links + rechts) / 2, unten + hoehe * 1.6, _laenge(laenge), ha="center", va="bottom",
                   fontsize=7, zorder=5, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5})
    # Nordpfeil als Linie mit Spitze in Achsenanteilen (ohne Annotation-Pfeil: der wird beim Zeichnen geclippt)
    ax.plot([0.95, 0.95], [0.86, 0.95], color="#222222", linewidth=1.2, transform=ax.transAxes, zorder=5)
    ax.fill([0.935, 0.965, 0.95], [0.94, 0.94, 0.975], color="#222222", transform=ax.transAxes, zorder=5)
    nord = ax.text(0.95, 0.85, "N", ha="center", va="top", fontsize=8, fontweight="bold", zorder=5,
                   transform=ax.transAxes)
    pfeil = ax.fill([0.93, 0.97, 0.97, 0.93], [0.86, 0.86, 0.98, 0.98], facecolor="none", edgecolor="none",
                    transform=ax.transAxes)[0]
    leiste = ax.fill([links, rechts, rechts, links], [unten, unten, unten + hoehe, unten + hoehe],
                     facecolor="none", edgecolor="none")[0]
    return [text, nord, pfeil, leiste]


def beschrifte(fig, ax, flaechen: list[tuple[str, Any]], *, groesse: float,  # noqa: ANN001
               frei_halten: list[Any]) -> list[tuple[str, Any]]:
    """Stadtteilnamen ohne Überdeckung: größte Fläche zuerst, an ihrem repräsentativen Punkt; überdeckt der Name
    einen schon gesetzten (oder Maßstab/Nordpfeil) oder ragt er aus der Karte, rückt er an die erste freie
    Ausweichstelle (mit Führungslinie), sonst eine Nummer kleiner. Passt er nirgends, steht er an der Stelle mit
    der geringsten Überdeckung. Jeder Name wird je Schriftgröße einmal vermessen, die Ausweichstellen verschoben.
    Gibt je Name seinen Kasten (Bildschirmkoordinaten) zurück."""
    renderer = fig.canvas.get_renderer()
    rahmen = ax.get_window_extent(renderer)
    belegt = [a.get_window_extent(renderer) for a in frei_halten]
    gesetzt: list[tuple[str, Any]] = []
    px = fig.dpi / 72
    stil = {"ha": "center", "va": "center", "color": "#222222", "zorder": 6,
            "bbox": {"facecolor": "white", "edgecolor": "none", "alpha": 0.55, "pad": 0.4}}
    for name, g in sorted(flaechen, key=lambda f: -f[1].area):
        p = g.representative_point()
        bester: tuple[float, float, tuple[int, int], Any] | None = None
        for schrift in (groesse, groesse - 1, groesse - 1.5):
            probe = ax.annotate(name, (p.x, p.y), xytext=(0, 0), textcoords="offset points", fontsize=schrift,
                                **stil)
            mitte = probe.get_window_extent(renderer).expanded(1.04, 1.1)
            probe.remove()
            for dx, dy in _ausweichstellen(mitte.width / px, mitte.height / px):
                kasten = mitte.translated(dx * px, dy * px)
                ueber = sum(_schnitt(kasten, b) for b in belegt) + _ausserhalb(kasten, rahmen)
                if bester is None or ueber < bester[0]:
                    bester = (ueber, schrift, (dx, dy), kasten)
                if ueber == 0:
                    break
            if bester[0] == 0:
                break
        assert bester is not None
        _ueber, schrift, (dx, dy), kasten = bester
        ax.annotate(name, (p.x, p.y), xytext=(dx, dy), textcoords="offset points", fontsize=schrift, **stil)
        if (dx, dy) != (0, 0):  # Führungslinie vom Ort bis an den Rand des Namens (einfache Linie, kein Pfeil)
            ort = ax.transData.transform((p.x, p.y))
            ziel = _randpunkt(ort, kasten)
            (x0, y0), (x1, y1) = ax.transData.inverted().transform([ort, ziel])
            ax.plot([x0, x1], [y0, y1], color="#555555", linewidth=0.5, zorder=5)
        belegt.append(kasten)
        gesetzt.append((name, kasten))
    return gesetzt


def _ausweichstellen(breite: float, hoehe: float) -> list[tuple[float, float]]:
    """Versatz (in Punkt) für einen Namen der Größe `breite`×`hoehe` (Punkt): an Ort und Stelle, dann ober- und
    unterhalb, daneben und schräg – in Vielfachen seiner Größe, nächste zuerst."""
    stellen = {(0.0, 0.0)}
    for k in (1, 2, 3):
        for sx in (-1, 0, 1):
            for sy in (-1, 0, 1):
                stellen.add((sx * k * (breite + 2) * (0.6 if sy else 1), sy * k * (hoehe + 1)))
    return sorted(stellen, key=lambda v: (v[0] ** 2 + v[1] ** 2, v))


def _randpunkt(ort: Any, kasten: Any) -> tuple[float, float]:
    """Der Punkt am Rand von `kasten` (Bildschirmkoordinaten) auf der Linie vom Mittelpunkt zu `ort`."""
    mx, my = (kasten.x0 + kasten.x1) / 2, (kasten.y0 + kasten.y1) / 2
    dx, dy = ort[0] - mx, ort[1] - my
    faktoren = [kasten.width / 2 / abs(dx) if dx else float("inf"), kasten.height / 2 / abs(dy) if dy else float("inf")]
    f = min(1.0, *faktoren)
    return mx + dx * f, my + dy * f


def _schnitt(a, b) -> float:  # noqa: ANN001
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _ausserhalb(kasten, rahmen) -> float:  # noqa: ANN001
    innen = _schnitt(kasten, rahmen)
    return kasten.width * kasten.height - innen


def _pfad(geometrie: Any) -> Any:
    """Polygon/MultiPolygon als matplotlib-Pfad (Löcher bleiben Löcher)."""
    import shapely
    from matplotlib.path import Path

    ringe = []
    for poly in getattr(geometrie, "geoms", [geometrie]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            ringe.append(Path(shapely.get_coordinates(ring), closed=True))
    return Path.make_compound_path(*ringe) if ringe else Path([[0, 0]])


def beschreibung(klassen: Mapping[str, str], stadtteile: gpd.GeoDataFrame, sozialraum: str | None) -> str:
    """Textalternative: welche Stadtteile in welcher Bedarfsklasse liegen."""
    st = stadtteile if sozialraum is None else stadtteile[stadtteile["sozialraum"] == sozialraum]
    teile = [f"{n}: Bedarf {klassen.get(n, 'keine Angabe')}" for n in st["name"]]
    wo = f"Sozialraum {sozialraum}" if sozialraum else "Stadtgebiet"
    return f"Karte {wo} mit Einrichtungen; Stadtteile nach Bedarfsklasse – " + "; ".join(teile) + "."
