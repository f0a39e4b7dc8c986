"""Präsentation in AppTest: Folie je Sozialraum mit Jahr, Teamleitung, Stufe, großen Kennzahlen, Textfassung."""

from datetime import date
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.demo import demo_jahre
from tests.seiten.hilfen import angezeigt

WURZEL = Path(__file__).resolve().parents[2]


class _App:
    """Die ganze App starten und zur Präsentation wechseln (wie im Browser über die Navigation)."""

    def run(self) -> AppTest:
        at = AppTest.from_file(str(WURZEL / "streamlit_app.py"), default_timeout=120).run()
        at.session_state["praes_tabellen"] = True  # Textfassung aufgeklappt (sonst nicht gebaut)
        return at.switch_page("seiten/praesentation.py").run()


def app() -> _App:
    return _App()


def _ohne_fehler(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _knopf(at: AppTest, anfang: str):
    return next(b for b in at.button if b.label.startswith(anfang))


def _metrik(at: AppTest, titel: str) -> str:
    return next(x.value for x in at.metric if x.label == titel)


def _sozialraeume(url: str) -> list[tuple[str, int, str]]:
    engine = erstelle_engine(url)
    with sitzung(engine, akteur=None) as s:
        zeilen = s.execute(select(m.Sozialraum.name, m.Sozialraum.stufe, m.Sozialraum.teamleitung)
                           .order_by(m.Sozialraum.reihenfolge)).all()
    engine.dispose()
    return [tuple(z) for z in zeilen]


def test_folie_mit_titel_jahr_teamleitung_stufe(app_env, demo_sqlite_url):
    srs = _sozialraeume(demo_sqlite_url)
    at = app().run()
    _ohne_fehler(at)
    name, stufe, teamleitung = srs[0]
    assert angezeigt(at.title[0].value) == f"{name} · Stand {date.today():%d.%m.%Y}"
    kopf = at.caption[0].value
    assert f"Teamleitung ASD: {teamleitung}" in kopf and f"Gremium auf Stufe {stufe} von 3" in kopf
    assert _metrik(at, "Gremium: Stufe") == f"{stufe} von 3"
    assert [x.label for x in at.metric][:5] == ["Einwohner", "unter 18 Jahren", "Einrichtungen",
                                               "Kita-Plätze je 100 Kinder unter 6", "SGB II, Kinder unter 15"]
    assert "Karte des Sozialraums" in at.get("iframe")[0].proto.alt


def test_blaettern_vor_und_zurueck(app_env, demo_sqlite_url):
    srs = _sozialraeume(demo_sqlite_url)
    at = app().run()
    _knopf(at, "Nächster").click().run()
    _ohne_fehler(at)
    assert at.title[0].value.startswith(srs[1][0] + " · ")
    assert any(x.value == "**2 / 10**" for x in at.markdown)
    _knopf(at, "◀").click().run()
    _knopf(at, "◀").click().run()
    assert at.title[0].value.startswith(srs[-1][0] + " · ")
    assert any(x.value == "**10 / 10**" for x in at.markdown)
    stufen = set()
    for _ in range(len(srs)):  # jede Folie zeigt die Stufe ihres Gremiums
        stufen.add(_metrik(at, "Gremium: Stufe"))
        _knopf(at, "Nächster").click().run()
    # die Stufe am Ladetag der Demo: Stufe 2 ab Januar, Stufe 3 ab Juli des laufenden Jahres (daten.demo)
    assert stufen == {f"{s} von 3" for _, s, _ in srs} and {"1 von 3", "2 von 3"} <= stufen
    assert ("3 von 3" in stufen) == (date.today() >= date(date.today().year, 7, 1))


def test_berichtsjahr_zeigt_einrichtungen_jenes_jahres(app_env, demo_sqlite_url):
    engine = erstelle_engine(demo_sqlite_url)
    jahr = demo_jahre().vorjahr - 1  # ein Indikatorjahr der (heute geladenen) Demo vor dem letzten
    stichtag = date(jahr, 12, 31)
    with sitzung(engine, akteur=None) as s:
        erster = s.scalar(select(m.Sozialraum).order_by(m.Sozialraum.reihenfolge))
        alle = [e for e in s.scalars(select(m.Einrichtung)) if e.aktiv and e.stadtteil.sozialraum_id == erster.id]
        gueltig = [e for e in alle if (e.gueltig_von is None or e.gueltig_von <= stichtag)
                   and (e.gueltig_bis is None or e.gueltig_bis >= stichtag)]
        heute = [e for e in alle if (e.gueltig_von is None or e.gueltig_von <= date.today())
                 and (e.gueltig_bis is None or e.gueltig_bis >= date.today())]
    engine.dispose()
    at = app().run()
    assert _metrik(at, "Einrichtungen") == str(len(heute))
    at.sidebar.selectbox[0].select(jahr).run()
    _ohne_fehler(at)
    assert angezeigt(at.title[0].value).endswith(f"· Berichtsjahr {jahr}")
    assert f"Kennzahlen {jahr}" in [c.value for c in at.caption]
    assert _metrik(at, "Einrichtungen") == str(len(gueltig))
    tab = next(d.value for d in at.dataframe if "Name" in d.value.columns)
    assert sorted(tab["Name"]) == sorted(e.name for e in gueltig)  # Textfassung: dieselben Einrichtungen


def test_textfassung_kennzahlen_wie_auf_der_folie(app_env):
    at = app().run()
    assert next(e for e in at.expander if e.label.startswith("Textfassung: Kennzahlen und "))
    kennzahlen = next(d.value for d in at.dataframe if "Kennzahl" in d.value.columns)
    for _, z in kennzahlen.iterrows():
        assert _metrik(at, z["Kennzahl"]) == z["Wert"]
