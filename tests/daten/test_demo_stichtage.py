"""Die geladene Demo an Stichtagen über das ganze Jahr (heute, 1.1., 30.6., 3.12., 31.12.): was die Gremiumsarbeit
an einem solchen Tag tut, geht – auch wenn die nächste Sitzung schon im nächsten Jahr liegt.

Hintergrund: seit dem 3.12.2026 plante der Browsertest die Sitzung in vier Wochen (2027) und die Demo hatte
kein Budget 2027. Die Demo folgt jetzt ihrem Stichtag (`daten.demo.demo_jahre`), ein fehlendes Budget ist
nicht 0 €, und dieser Test hält beides für jeden Stichtag fest (nur SQLite: je Stichtag eine eigene Demo)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from analysen.gremium import budget_uebersicht, kadenz
from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.demo import demo_jahre
from daten.dienste import budget, massnahmen, protokoll
from daten.dienste import sitzungen as dienst
from daten.fehler import EingabeFehler
from daten.laden import initialisiere
from daten.politik import SYSTEM, Akteur
from tests.zeit import STICHTAG_IDS, stichtage

VORLAUF = timedelta(days=28)  # Seite „Sitzungen“ schlägt eine Sitzung in vier Wochen vor (wie der Browsertest)


@pytest.fixture(scope="module", params=stichtage(), ids=STICHTAG_IDS)
def demo_db(request, tmp_path_factory, kommune):
    url = f"sqlite:///{tmp_path_factory.mktemp('stichtag') / 'rk.db'}"
    engine = erstelle_engine(url)
    initialisiere(engine, kommune, demo=True, demo_stichtag=request.param)
    with sitzung(engine, akteur=None) as s:
        neustadt = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Neustadt"))
        asd = s.scalar(select(m.Einrichtung.id).join(m.Stadtteil).where(
            m.Stadtteil.sozialraum_id == neustadt, m.Einrichtung.art == "asd"))
    yield engine, request.param, neustadt, asd
    engine.dispose()


def _gehaltene_sitzung_mit_punkt(engine, kommune, tl: Akteur, sr: int, ort: int, tag: date) -> int:
    """Wie auf den Seiten: Teamleitung plant, die Sitzung findet statt, ein Protokollpunkt wird gespeichert."""
    with sitzung(engine, akteur=tl) as s:
        feld = dienst.protokoll_vorschlag(s, sozialraum_id=sr, datum=tag)  # Protokollwechsel 4.1
        sid = dienst.plane_sitzung(s, tl, kommune=kommune, sozialraum_id=sr, datum=tag, ort_id=ort,
                                   protokoll_bereich=feld, protokollfuehrung=f"Teamleitung ({feld})").id
    # Der Tag folgt dem Stichtag der Demo, nicht dem heutigen: „durchgeführt“ setzt hier das System – Personen dürfen
    # es erst ab dem Sitzungstag (daten.gremium.regeln).
    with sitzung(engine, akteur=SYSTEM) as s:
        s.get(m.Sitzung, sid).status = "durchgefuehrt"
    with sitzung(engine, akteur=tl) as s:
        return protokoll.speichere_punkt(s, tl, sitzung_id=sid, frage=2, handlungsebene="falluebergreifend",
                                         text="Elternkurs für Familien mit kleinen Kindern wird gebraucht.").id


def _beantrage(engine, tl: Akteur, pid: int, titel: str) -> int:
    with sitzung(engine, akteur=tl) as s:
        return massnahmen.lege_massnahme_an(s, tl, protokollpunkt_id=pid, titel=titel, art="falluebergreifend",
                                            kosten_geplant=500, beschlussvorlage="1470/2012").id


def _uebersicht(engine, kommune, sr: int, jahr: int):
    with sitzung(engine, akteur=None) as s:
        b, mm = budget.budgets_und_massnahmen(s, jahr=jahr, sozialraum_id=sr)
    return budget_uebersicht(b, mm, kommune.budgetkategorien, sozialraeume=["Neustadt"], jahre=[jahr]).set_index(
        "kategorie")


def test_massnahme_fuer_die_sitzung_in_vier_wochen_hat_ein_budget(demo_db, kommune):
    engine, stichtag, sr, asd = demo_db
    tl = Akteur("tl01", "teamleitung", sr)
    tag = stichtag + VORLAUF
    assert tag.year in demo_jahre(stichtag).budgets
    vorher = _uebersicht(engine, kommune, sr, tag.year).loc["falluebergreifend"]
    assert vorher["eingetragen"] and vorher["budget"] > 0 and vorher["warnung"] == ""
    pid = _gehaltene_sitzung_mit_punkt(engine, kommune, tl, sr, asd, tag)
    mid = _beantrage(engine, tl, pid, f"Elternkurs {stichtag:%d.%m.}")
    with sitzung(engine, akteur=tl) as s:
        massnahmen.entscheide_massnahme(s, tl, massnahme_id=mid, genehmigen=True, datum=stichtag)
    nachher = _uebersicht(engine, kommune, sr, tag.year).loc["falluebergreifend"]
    assert nachher["genehmigt"] == pytest.approx(vorher["genehmigt"] + 500)
    assert nachher["rest"] == pytest.approx(vorher["rest"] - 500)


def test_jahr_nach_den_demo_budgets_meldet_fehlendes_budget(demo_db, kommune):
    engine, stichtag, sr, asd = demo_db
    tl = Akteur("tl01", "teamleitung", sr)
    ohne = demo_jahre(stichtag).budgets[-1] + 1  # übernächstes Jahr: dafür hat noch niemand ein Budget
    tag = date(ohne, 2, 10)
    pid = _gehaltene_sitzung_mit_punkt(engine, kommune, tl, sr, asd, tag)
    with pytest.raises(EingabeFehler, match=rf"^Für {ohne} ist noch kein Budget eingetragen \(Sozialraum Neustadt, "
                                            r"Fallübergreifende Maßnahmen\)\. Budgets trägt die Jugendhilfeplanung"):
        _beantrage(engine, tl, pid, "Elternkurs ohne Budget")
    u = _uebersicht(engine, kommune, sr, ohne)
    assert not u["eingetragen"].any() and (u["warnung"] == "noch kein Budget eingetragen").all()
    assert u["budget"].isna().all() and u["geplant"].eq(0).all()


def test_jahre_sitzungen_und_rhythmus_am_stichtag(demo_db, kommune):
    engine, stichtag, _, _ = demo_db
    j = demo_jahre(stichtag)
    with sitzung(engine, akteur=None) as s:
        sz = dienst.sitzungen(s)
        budgetjahre = set(s.scalars(select(m.Budget.jahr).distinct()))
        indikatorjahre = set(s.scalars(select(m.Indikatorwert.jahr).distinct()))
        massnahmenjahre = set(s.scalars(select(m.Massnahme.jahr).where(m.Massnahme.schluessel.startswith("demo-"))
                                        .distinct()))
    assert budgetjahre == {j.vorjahr, j.laufend, j.naechstes}
    assert max(indikatorjahre) == j.vorjahr and len(indikatorjahre) == 4  # veröffentlichte Zahlen hinken nach
    assert j.vorjahr in massnahmenjahre and massnahmenjahre <= {j.vorjahr, j.laufend}
    demo = sz[sz["schluessel"].str.startswith("demo-")]
    gehalten = demo[demo["status"].isin(["durchgefuehrt", "protokolliert", "versendet"])]
    geplant = demo[demo["status"].isin(["geplant", "eingeladen"])]
    assert (gehalten["datum"] <= stichtag).all() and (geplant["datum"] > stichtag).all()
    assert {d.year for d in geplant["datum"]} >= {j.naechstes}  # geplant bis ins nächste Jahr
    kz = kadenz(demo, [sr.name for sr in kommune.sozialraeume], stichtag)
    assert not kz["ueberfaellig"].any() and kz["verpasste_halbjahre"].eq("").all()
    assert kz["naechste_sitzung"].notna().all()
