"""Lesen für Vergleich und Bericht auf SQLite und PostGIS; Tabellen schreiben (CSV für deutsches Excel, XLSX)."""

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from analysen.gremium import GEHALTEN, KONFORMITAET_SPALTEN, sitzungskonformitaet_aus
from daten import modelle as m
from daten.berichtsdaten import lade_berichtsdaten, schreibe_tabelle
from daten.db import sitzung
from daten.demo import demo_jahre
from daten.dienste import hospitationen, sitzungen
from daten.fehler import EingabeFehler
from daten.politik import SYSTEM
from tests.daten._gremium import baue_welt, gehaltene_sitzung


def test_frames_auf_beiden_backends(demo_engine, kommune):
    d = lade_berichtsdaten(demo_engine, kommune, akteur=SYSTEM)
    assert len(d.stadtteile) == 15 and len(d.sozialraeume) == 10 and len(d.einrichtungen) > 100
    assert set(d.indikatoren["merkmal"]) >= {"transferbezug_quote", "arbeitslosenquote", "sgb2_quote_u15"}
    assert {"sozialraum", "jahr", "frage", "handlungsebene", "text", "fallbesprechung", "sitzung_id"} <= set(
        d.protokollpunkte.columns)
    assert d.protokollpunkte["jahr"].isin(demo_jahre().massnahmen).all()  # Demo mit heute geladen
    # je Sozialraum und Jahr die Kategorien mit eigenem Budget (Fortbildung ist Anteil des fallunspezifischen)
    assert d.budgets.groupby(["sozialraum", "jahr"]).size().min() >= 2
    assert d.empfehlungen.empty
    assert {"id", "sozialraum", "datum", "jahr", "status", "ort_art", "teilnehmende", "stadtteile"} <= set(
        d.sitzungen.columns)
    assert set(d.sitzungen["stadtteile"].map(tuple)) > {()}  # das Demo-Teilgremium tagt für einen Stadtteil
    assert len(d.hospitationen) > 10 and set(d.stufen["stufe"]) == {1, 2, 3}  # Ziel-Stufen der Demo (stadtteile.yaml)


def test_sitzungskonformitaet_aus_der_demo_datenbank(demo_engine, kommune):
    """Arbeit der Gremien im Vorjahr (R5, R6, R13) aus den Frames der Datenbank – gegen Zählungen per SQL."""
    jahr = demo_jahre().vorjahr
    d = lade_berichtsdaten(demo_engine, kommune, akteur=SYSTEM)
    k = sitzungskonformitaet_aus(d, kommune, jahre=[jahr], stichtag=date(jahr + 1, 1, 15))
    assert list(k.columns) == list(KONFORMITAET_SPALTEN)
    assert list(k["sozialraum"]) == [sr.name for sr in kommune.sozialraeume]
    im_jahr = (m.Sitzung.datum >= date(jahr, 1, 1)) & (m.Sitzung.datum <= date(jahr, 12, 31))
    von = m.Einrichtung
    with sitzung(demo_engine, akteur=None) as s:
        gehalten = dict(s.execute(select(m.Sozialraum.name, func.count(m.Sitzung.id)).join(m.Sitzung.sozialraum)
                                  .where(m.Sitzung.status.in_(GEHALTEN), im_jahr).group_by(m.Sozialraum.name)).all())
        hosp = dict(s.execute(
            select(m.Sozialraum.name, func.count(m.Hospitation.id)).join(von, m.Hospitation.von_id == von.id)
            .join(m.Stadtteil, von.stadtteil_id == m.Stadtteil.id).join(m.Sozialraum)
            .where(m.Hospitation.datum >= date(jahr, 1, 1), m.Hospitation.datum <= date(jahr, 12, 31))
            .group_by(m.Sozialraum.name)).all())
    assert dict(zip(k["sozialraum"], k["sitzungen"], strict=True)) == gehalten
    assert dict(zip(k["sozialraum"], k["hospitationen"], strict=True)) == {n: hosp.get(n, 0) for n in k["sozialraum"]}
    assert (k["halbjahre_ohne_sitzung"] == 0).all() and k["ortsrotation_ok"].map(lambda x: x is True).all()
    assert k["anwesenheitsquote"].between(0.5, 1).all() and (k["anwesenheitsquote"] < 1).any()  # Demo hat Lücken


@pytest.fixture
def welt(leere_db, kommune):
    w = baue_welt(leere_db, kommune)
    yield w
    w.engine.dispose()


def test_sitzungskonformitaet_folgt_sitzungen_stufe_und_hospitationen_der_datenbank(welt, kommune):
    w = welt
    gehaltene_sitzung(w, datum=date(2025, 3, 11))  # am ASD, anwesend nur „Test kita“ (von Kita, Kita 2, KiJuKuZ)
    gehaltene_sitzung(w, datum=date(2025, 9, 10), protokoll_login="tl01")  # wieder am ASD: Wechsel verletzt
    with sitzung(w.engine, akteur=w.tl) as s:
        hospitationen.trage_hospitation_ein(s, w.tl, kommune=kommune, von_id=w.e["kita"], nach_id=w.e["kijukuz"],
                                            datum=date(2025, 5, 6), anzahl_personen=2, zweck="Offene Arbeit")
    d = lade_berichtsdaten(w.engine, kommune, akteur=SYSTEM)
    k = sitzungskonformitaet_aus(d, kommune, jahre=[2025], stichtag=date(2026, 1, 15)).set_index("sozialraum")
    z = k.loc["Neustadt"]
    assert (z["sitzungen"], z["halbjahre_ohne_sitzung"], z["ortsrotation_ok"], z["hospitationen"]) == (2, 0, False, 1)
    assert z["anwesenheitsquote"] == pytest.approx(2 / 6)
    assert k.loc["Mombach", "halbjahre_ohne_sitzung"] == 2 and k.loc["Mombach", "ortsrotation_ok"] is None
    # Stufe 3 ab Juli: die freie Kita wird in der zweiten Sitzung erwartet (und fehlt)
    with sitzung(w.engine, akteur=w.jhp) as s:
        sitzungen.beschliesse_stufe(s, w.jhp, sozialraum_id=w.sr, stufe=3, gueltig_ab=date(2025, 7, 1),
                                    beschluss="Beschluss der Lenkungsgruppe: Stufe 3.",
                                    sprung_grund="freie Träger wirken schon mit")
    d = lade_berichtsdaten(w.engine, kommune, akteur=SYSTEM)
    k = sitzungskonformitaet_aus(d, kommune, jahre=[2025], stichtag=date(2026, 1, 15)).set_index("sozialraum")
    assert k.loc["Neustadt", "anwesenheitsquote"] == pytest.approx(2 / 7)


def test_tabelle_schreiben(tmp_path):
    df = pd.DataFrame({"gebiet": ["Ä"], "wert": [1.5]})
    schreibe_tabelle(df, tmp_path / "t.csv")
    roh = (tmp_path / "t.csv").read_bytes()
    # Kopf in Anführungszeichen (Trennzeichen erkennbar, auch wenn ein Kopf ein Komma enthält)
    assert roh.startswith(b"\xef\xbb\xbf") and roh.decode("utf-8-sig") == '"gebiet";"wert"\r\nÄ;1,5\r\n'
    schreibe_tabelle(df, tmp_path / "t.xlsx")
    assert pd.read_excel(tmp_path / "t.xlsx").iloc[0]["wert"] == 1.5
    with pytest.raises(EingabeFehler, match=".ods"):
        schreibe_tabelle(df, tmp_path / "t.ods")
