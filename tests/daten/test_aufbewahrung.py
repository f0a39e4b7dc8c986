"""Aufbewahrung (DSGVO): fällige Daten werden gelöscht bzw. anonymisiert – auf beiden Backends, alles in einer
Transaktion, mit Zusammenfassung im Änderungsprotokoll; eine Zeile genau am Stichtag bleibt, einen Tag älter nicht."""

from datetime import date

import pytest
from sqlalchemy import func, select

from befehle import main
from daten import modelle as m
from daten.aufbewahrung import ANONYM_FALL, faellig, wende_an
from daten.db import erstelle_engine, sitzung
from daten.laden import initialisiere


@pytest.fixture
def demo(leere_db, kommune):
    engine = erstelle_engine(leere_db)
    initialisiere(engine, kommune, demo=True)
    yield engine
    engine.dispose()


def _sitzung_mit_namen(engine):  # noqa: ANN001, ANN202
    with sitzung(engine, akteur=None) as s:
        return s.scalars(select(m.Sitzung).where(m.Sitzung.protokollfuehrung.is_not(None))
                         .order_by(m.Sitzung.datum)).first()


def _plus_monate(tag: date, monate: int) -> date:
    j, mo = divmod(tag.year * 12 + tag.month - 1 + monate, 12)
    return date(j, mo + 1, min(tag.day, 28))


def test_namen_genau_am_stichtag_bleiben_einen_tag_spaeter_nicht(demo, kommune):
    sz = _sitzung_mit_namen(demo)
    assert sz.datum.day <= 28  # Demo-Sitzungen liegen nicht am Monatsende
    heute = _plus_monate(sz.datum, kommune.aufbewahrung.teilnahme)  # Stichtag == Sitzungsdatum
    teil = next(p for p in faellig(demo, kommune, heute=heute) if p.art == "teilnahme")
    assert teil.stichtag == sz.datum
    wende_an(demo, kommune, heute=heute)
    with sitzung(demo, akteur=None) as s:
        assert s.get(m.Sitzung, sz.id).protokollfuehrung == sz.protokollfuehrung  # genau am Stichtag: bleibt
    wende_an(demo, kommune, heute=date.fromordinal(heute.toordinal() + 1))
    with sitzung(demo, akteur=None) as s:
        danach = s.get(m.Sitzung, sz.id)
        assert danach.protokollfuehrung is None
        assert not any(isinstance(e, dict) and e.get("name") for e in danach.teilnehmende + danach.eingeladene)
        assert all("bereich" in e for e in danach.teilnehmende if isinstance(e, dict))  # Arbeitsfelder bleiben


def test_alles_faellige_in_einer_transaktion_mit_zusammenfassung(demo, kommune):
    spaeter = date(2045, 1, 1)
    vorab = {p.art: p.anzahl for p in faellig(demo, kommune, heute=spaeter)}
    assert vorab["protokollpunkte"] > 0 and vorab["aenderungsprotokoll"] > 0 and vorab["fallbesprechungen"] > 0
    with sitzung(demo, akteur=None) as s:
        punkte = s.scalar(select(func.count()).select_from(m.Protokollpunkt))
        massnahmen = s.scalar(select(func.count()).select_from(m.Massnahme))
    assert vorab["protokollpunkte"] == punkte
    erledigt = {p.art: p.anzahl for p in wende_an(demo, kommune, heute=spaeter)}
    assert erledigt == vorab
    with sitzung(demo, akteur=None) as s:
        assert s.scalar(select(func.count()).select_from(m.Protokollpunkt)) == 0
        assert s.scalar(select(func.count()).select_from(m.Massnahme)) == massnahmen  # Maßnahmen bleiben
        zeilen = s.scalars(select(m.Aenderung)).all()
    assert len(zeilen) == 1 and zeilen[0].aktion == "sammel" and zeilen[0].benutzer == "system"
    assert "Aufbewahrung" in zeilen[0].nachher["grund"] and "Protokollpunkte" in zeilen[0].nachher["grund"]


def test_fallbesprechung_vor_dem_uebrigen_protokoll(demo, kommune):
    with sitzung(demo, akteur=None) as s:
        fall = s.execute(select(m.Protokollpunkt.id, m.Sitzung.datum).join(m.Sitzung)
                         .where(m.Protokollpunkt.fallbesprechung.is_(True)).order_by(m.Sitzung.datum)).first()
    heute = date.fromordinal(_plus_monate(fall.datum, kommune.aufbewahrung.fallbesprechungen).toordinal() + 1)
    wende_an(demo, kommune, heute=heute)
    with sitzung(demo, akteur=None) as s:
        p = s.get(m.Protokollpunkt, fall.id)
        assert p is not None and p.text == ANONYM_FALL and p.datenschutz_grund is None  # Punkt bleibt, Text nicht
        anders = s.scalars(select(m.Protokollpunkt).where(m.Protokollpunkt.sitzung_id == p.sitzung_id,
                                                          m.Protokollpunkt.fallbesprechung.is_(False))).all()
        assert all(q.text != ANONYM_FALL for q in anders)


def test_cli_probe_aendert_nichts(tmp_path, capsys, kommune):
    url = f"sqlite:///{tmp_path / 'rk.db'}"
    assert main(["--db", url, "init", "--demo"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "aufbewahrung", "--probe", "--stichtag", "01.01.2045"]) == 0
    aus = capsys.readouterr().out
    assert "Probe:" in aus and "nichts geändert" in aus
    e = erstelle_engine(url)
    with sitzung(e, akteur=None) as s:
        assert s.scalar(select(func.count()).select_from(m.Protokollpunkt)) > 0
    e.dispose()
    with pytest.raises(SystemExit) as ende:  # kein Datum: deutsche Zeile, Exit-Code 2
        main(["--db", url, "aufbewahrung", "--stichtag", "1.13.2045"])
    assert ende.value.code == 2 and "ist kein Datum" in capsys.readouterr().err
