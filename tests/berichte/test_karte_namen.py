"""Kartenbild im Bericht (Legende, Maßstab, Namen ohne Überdeckung, `$` bleibt Text) und Namen statt Logins in
den Schriftstücken (Empfehlung im Bericht, Versandvermerk im Protokoll)."""

import io
import shutil

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import box
from sqlalchemy import select

from berichte.dokument import Absatz
from berichte.protokoll import protokoll_dokument
from daten import dienste
from daten import modelle as m
from daten.berichtsdaten import lade_berichtsdaten
from daten.db import erstelle_engine, sitzung
from daten.dienste.empfehlungen import speichere_empfehlung
from daten.politik import SYSTEM, Akteur
from karte.berichtsbild import KLASSENFARBEN, beschrifte, karte_png, massstab_m

CRS = 25832


def _gebiete(namen: list[str]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Kleine Stadtteile nebeneinander (metrisch), je zwei in einem Sozialraum."""
    st = gpd.GeoDataFrame({"name": namen, "sozialraum": [f"SR {i // 2}" for i in range(len(namen))]},
                          geometry=[box(440_000 + i * 300, 5_540_000, 440_300 + i * 300, 5_540_300)
                                    for i in range(len(namen))], crs=CRS)
    sr = st.dissolve("sozialraum").reset_index().rename(columns={"sozialraum": "name"})
    return st, sr


def test_dollar_im_namen_bleibt_text_und_legende_steht_rechts():
    namen = ["Kosten $a^$ Mitte", "Nord $x$", "Süd", "West"]  # ohne Schutz: matplotlib-Mathe bricht ab
    st, sr = _gebiete(namen)
    ein = gpd.GeoDataFrame({"art": ["kita"], "sozialraum": ["SR 0"]}, geometry=gpd.points_from_xy([440_150],
                                                                                                 [5_540_150]),
                           crs=CRS)
    png = karte_png(st, sr, klassen={n: "hoch" for n in namen}, einrichtungen=ein, artfarben={"kita": "#1f78b4"},
                    artnamen={"kita": "Kita $1$"}, titel="Sozialraum $Test$, 2025", quelle="Quelle $Demo$",
                    crs_metrisch=CRS)
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG"
        pixel = np.asarray(im.convert("RGB"))
    hoch = np.array([int(KLASSENFARBEN["hoch"][i:i + 2], 16) for i in (1, 3, 5)])
    breite = pixel.shape[1]
    rechts = pixel[:, int(breite * 0.73):]  # rechts neben der Karte: nur die Legende
    assert (np.abs(rechts.astype(int) - hoch).sum(axis=2) < 10).any()  # Feld „Bedarf hoch“ der Legende
    links = pixel[:, : int(breite * 0.7)]
    assert (np.abs(links.astype(int) - hoch).sum(axis=2) < 10).sum() > 1000  # Flächen eingefärbt


def test_massstab_rund_und_hoechstens_ein_viertel():
    assert massstab_m(4_000) == 1_000 and massstab_m(3_999) == 500
    assert massstab_m(10_000) == 2_500 and massstab_m(9_999) == 2_000
    assert massstab_m(50) == 100  # kleinste Leiste


def test_namen_ueberdecken_sich_nicht():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1000)
    ax.set_ylim(0, 750)
    # fünf Flächen, deren Mittelpunkte 10 m auseinander liegen: an Ort und Stelle überdeckten sich alle Namen
    flaechen = [(f"Stadtteil {i}", box(480 + 10 * i, 360, 485 + 10 * i, 365)) for i in range(5)]
    flaechen.append(("Fern", box(50, 50, 60, 60)))
    gesetzt = beschrifte(fig, ax, flaechen, groesse=8, frei_halten=[])
    kaesten = [k for _, k in gesetzt]
    assert len(kaesten) == 6
    for i, a in enumerate(kaesten):
        for b in kaesten[i + 1:]:
            assert not (a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1), (a, b)
    fern = dict(gesetzt)["Fern"]  # allein: bleibt an seinem Ort
    ort = ax.transData.transform((55, 55))
    assert fern.x0 < ort[0] < fern.x1 and fern.y0 < ort[1] < fern.y1


@pytest.fixture()
def demo_kopie(demo_sqlite_url, tmp_path):
    quelle = demo_sqlite_url.removeprefix("sqlite:///")
    ziel = tmp_path / "rk.db"
    shutil.copy(quelle, ziel)
    engine = erstelle_engine(f"sqlite:///{ziel}")
    yield engine
    engine.dispose()


def test_empfehlung_im_bericht_mit_namen_statt_login(demo_kopie, kommune):
    with sitzung(demo_kopie, akteur=None) as s:
        name = s.scalar(select(m.Benutzer.anzeigename).where(m.Benutzer.login == "jhp"))
    dienste.ausfuehren(demo_kopie, Akteur("jhp", "jugendhilfeplanung"), speichere_empfehlung, sozialraum=None,
                       jahr=2025, text="Mehr Krippenplätze", status="entwurf", version=None)
    e = lade_berichtsdaten(demo_kopie, kommune, akteur=SYSTEM).empfehlungen
    assert list(e["geaendert_von"]) == [name] and name != "jhp"


def test_protokoll_nennt_versender_mit_namen(demo_kopie, kommune):
    with sitzung(demo_kopie, akteur=None) as s:
        sz = s.scalars(select(m.Sitzung).where(m.Sitzung.versendet_von.is_not(None))).first()
        login = sz.versendet_von
        name = s.scalar(select(m.Benutzer.anzeigename).where(m.Benutzer.login == login))
        dok = protokoll_dokument(s, kommune, sz.id, akteur=SYSTEM)
    vermerk = [b.text for b in dok.bausteine if isinstance(b, Absatz) and b.text.startswith("Versendet am")]
    assert vermerk and vermerk[0].endswith(f"von {name}.") and login not in vermerk[0]
