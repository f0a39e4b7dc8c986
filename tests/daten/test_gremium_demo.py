"""Die Demo folgt der Konzeption (Gremiumsteil): Termine, Protokollwechsel, Fallbesprechungen, Teilnahme,
Budget nach Bedarf, eine Fachstelle Frühe Hilfen, Reflexion nach den Sitzungen – und sie lädt fehlerfrei.
Die erzeugten Daten werden mit heute und festen Stichtagen über das Jahr geprüft (`tests.zeit`)."""

from collections import Counter
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from analysen.gremium import anwesenheit, fehlende_je_jahr, kadenz
from daten import modelle as m
from daten.db import sitzung
from daten.demo import demo_jahre, erzeuge_demo
from daten.gremium.datenschutz import pruefe_text
from daten.gremium.kalender import kalender_hinweise
from tests.zeit import STICHTAG_IDS, stichtage


@pytest.fixture(scope="module", params=stichtage(), ids=STICHTAG_IDS)
def demo(request, kommune):
    return erzeuge_demo(kommune, stichtag=request.param)


def test_keine_termine_an_feiertagen_wochenenden_heiligabend(demo):
    tage = [s["datum"] for s in demo.sitzungen] + [h["datum"] for h in demo.hospitationen]
    tage += [r["datum"] for r in demo.reflexionen]
    assert all(not kalender_hinweise(t, "RP") for t in tage), [t for t in tage if kalender_hinweise(t, "RP")]


def test_protokoll_im_wechsel_der_vier_arbeitsfelder(kommune, demo):
    reihe = [w.bereich for w in kommune.gremium.protokollwechsel]
    assert Counter(s["protokoll_bereich"] for s in demo.sitzungen).keys() == set(reihe)
    for sr in kommune.sozialraeume:
        eigene = [s for s in demo.sitzungen if s["sozialraum"] == sr.name]
        felder = [f for f in reihe if f in {s["protokoll_bereich"] for s in eigene}]
        for a, b in zip(eigene, eigene[1:], strict=False):  # das nächste Feld im Wechsel – oder mit Grund ein anderes
            if not (a["teilgremium"] or b["teilgremium"]):
                i, j = felder.index(a["protokoll_bereich"]), felder.index(b["protokoll_bereich"])
                if b["protokoll_bereich_grund"]:
                    assert j != (i + 1) % len(felder) and len(b["protokoll_bereich_grund"]) >= 10
                else:
                    assert j == (i + 1) % len(felder), (sr.name, a["datum"], b["datum"])
    schreiber = {s["protokollfuehrung"].rsplit("(", 1)[1] for s in demo.sitzungen}
    assert not {"Frühe Hilfen)", "Suchthilfe (51.04))"} & schreiber


def test_fallbesprechungen_selten_und_freigegeben(demo):
    protokolle = [s for s in demo.sitzungen if s["punkte"]]
    mit_fall = [s for s in protokolle if any(p["fallbesprechung"] for p in s["punkte"])]
    assert 0 < len(mit_fall) <= 0.2 * len(protokolle)
    for s in mit_fall:
        faelle = [p for p in s["punkte"] if p["fallbesprechung"]]
        assert len(faelle) == 1 and (faelle[0]["anonymisiert"] or faelle[0]["schweigepflichtentbindung"])


def test_protokolltexte_ohne_befund_der_datenschutzpruefung(demo):
    texte = {p["text"] for s in demo.sitzungen for p in s["punkte"]}
    assert [t for t in texte if pruefe_text(t)] == []


def test_eine_fachstelle_fruehe_hilfen(demo):
    assert sum(e["art"] == "fruehe_hilfen" for e in demo.einrichtungen) == 1


def test_budget_nach_bedarf(kommune, demo):
    from daten.demo.massnahmen import bedarf_je_sozialraum

    j = demo_jahre(demo.stichtag)
    for jahr in j.budgets:  # Budget des Jahres nach dem Bedarf des Vorjahres (veröffentlicht: das jüngste davor)
        bedarf = bedarf_je_sozialraum(kommune, demo.indikatoren, jahr - 1)
        budget = {b["sozialraum"]: b["betrag_eur"] for b in demo.budgets
                  if b["jahr"] == jahr and b["kategorie"] == "falluebergreifend"}
        hoch, niedrig = max(bedarf, key=bedarf.get), min(bedarf, key=bedarf.get)
        assert budget[hoch] > budget[niedrig] * 1.5, jahr
        rang = pd.Series(bedarf).rank().corr(pd.Series(budget).rank())
        assert rang > 0.9, jahr


def test_demo_geladen_findet_die_teilnahmepruefung_einige_luecken(demo_engine, kommune):
    from daten import repository as repo
    from daten.dienste.sitzungen import sitzungen, stufen

    with sitzung(demo_engine, akteur=None) as s:
        sz = sitzungen(s)
        ein = repo.einrichtungen(session=s, kommune=kommune)
        st = stufen(s)
        assert s.scalar(select(func.count()).select_from(m.FehlendeRessource)) > 10
        ohne_punkt = select(func.count()).select_from(m.Massnahme).where(m.Massnahme.protokollpunkt_id.is_(None))
        assert s.scalar(ohne_punkt) == 0
    anw = anwesenheit(sz, ein, stufen=st)
    luecken = fehlende_je_jahr(anw)
    assert len(luecken) > 0 and anw["anwesend"].mean() > 0.85
    # die Demo-Datenbank ist mit dem Stichtag heute geladen: an diesem Tag ist kein Gremium überfällig
    kz = kadenz(sz, [sr.name for sr in kommune.sozialraeume], date.today())
    assert not kz["ueberfaellig"].any() and kz["verpasste_halbjahre"].eq("").all()
