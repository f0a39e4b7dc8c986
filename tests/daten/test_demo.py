"""Demo-Generator (`daten.demo`): Vertrag, Determinismus, Geometrie, Regeln der Konzeption."""

from __future__ import annotations

import itertools
import json
import os
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import shapely
import yaml
from shapely.geometry import Point, Polygon, shape

from daten.config import KOMMUNE_STANDARD
from daten.demo import BASISJAHR, QUELLE, demo_jahre, erzeuge_demo
from daten.demo._stammdaten import lade
from daten.demo.geometrie import stadtumriss
from daten.geometrie import nach_metrisch
from tests.zeit import stichtage_im_jahr

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"

SCHLUESSEL = {
    "sozialraeume": "name stufe teamleitung",
    "stadtteile": "name sozialraum geometry quelle",
    "einrichtungen": "schluessel name art traeger_art traeger adresse zielgruppen angebote kapazitaet "
    "gueltig_von gueltig_bis stadtteil geometry quelle",
    "netzwerke": "schluessel name status sozialraum beschreibung mitglieder",
    "indikatoren": "stadtteil jahr merkmal wert quelle",
    "sitzungen": "schluessel sozialraum teilgremium datum beginn ende ort protokollfuehrung protokoll_bereich "
    "protokoll_bereich_grund protokoll_login status eingeladene teilnehmende punkte versendet_von versendet_am "
    "delegation",
    "massnahmen": "schluessel sozialraum sitzung punkt titel art beschlussvorlage kosten_geplant kosten_ist "
    "durchfuehrung genehmigt genehmigt_von genehmigt_am umgesetzt_am status jahr",
    "budgets": "sozialraum jahr kategorie betrag_eur",
    "hospitationen": "von nach datum bereich anzahl_personen zweck",
    "reflexionen": "jahr datum art vorsitzung zeitraum_von zeitraum_bis teilnehmende delegierte ergebnisse "
    "vorschlaege dokumentiert_von",
    "stufenbeschluesse": "sozialraum stufe gueltig_ab beschluss sitzung",
    "teilgremien": "sozialraum name stadtteile gueltig_ab beschluss",
    "lenkungsberichte": "sozialraum jahr datum erstattet_von inhalt",
}
PUNKT_SCHLUESSEL = ("frage handlungsebene text fallbesprechung anonymisiert schweigepflichtentbindung bezug "
                    "netzwerke stadtteile fehlende_ressourcen")


def test_vertrag_hat_genau_die_vereinbarten_schluessel(kommune, demo):
    # Anfang Dezember gibt es alles (die Reflexion des Vorjahres liegt im Januar: davor ist die Liste leer)
    dezember = erzeuge_demo(kommune, stichtag=stichtage_im_jahr()[2])
    for feld in SCHLUESSEL:
        assert getattr(dezember, feld), feld
    for feld, erwartet in SCHLUESSEL.items():
        zeilen = getattr(demo, feld)
        assert zeilen or feld in ("reflexionen", "lenkungsberichte"), feld  # beide erst ab Januar/Februar
        for z in zeilen:
            assert set(z) == set(erwartet.split()), (feld, set(z) ^ set(erwartet.split()))
    for s in demo.sitzungen:
        for p in s["punkte"]:
            assert set(p) == set(PUNKT_SCHLUESSEL.split())
        for t in s["teilnehmende"]:
            # Mitglieder: bereich, einrichtung, name; Gäste (3.1) zusätzlich gast und organisation
            assert set(t) == ({"bereich", "einrichtung", "name", "gast", "organisation"} if t.get("gast")
                              else {"bereich", "einrichtung", "name"})
    for feld in ("einrichtungen", "netzwerke", "sitzungen", "massnahmen"):
        schluessel = [z["schluessel"] for z in getattr(demo, feld)]
        assert len(schluessel) == len(set(schluessel)), feld
        assert all(k.startswith("demo-") for k in schluessel), feld


def test_gleiche_saat_gleiche_daten_andere_saat_andere(kommune, demo):
    assert erzeuge_demo(kommune) == demo
    zweite = erzeuge_demo(kommune, seed=7)
    assert zweite == erzeuge_demo(kommune, seed=7)
    assert [e["geometry"] for e in zweite.einrichtungen] != [e["geometry"] for e in demo.einrichtungen]
    tag = date(2026, 11, 20)
    assert erzeuge_demo(kommune, stichtag=tag) == erzeuge_demo(kommune, stichtag=tag)


def test_jahre_folgen_dem_stichtag(kommune):
    """Im Basisjahr die festen Jahre; ein Jahr später ist alles um ein Jahr verschoben, nichts fehlt."""
    basis = demo_jahre(date(BASISJAHR, 11, 20))
    assert (basis.indikatoren, basis.massnahmen, basis.budgets, basis.sitzungen) == (
        (2022, 2023, 2024, 2025), (2025, 2026), (2025, 2026, 2027), (2025, 2026, 2027))
    for tag in (date(BASISJAHR, 11, 20), date(BASISJAHR + 1, 1, 1), date(BASISJAHR + 3, 6, 30)):
        j = demo_jahre(tag)
        v = tag.year - BASISJAHR
        assert j.indikatoren == tuple(x + v for x in basis.indikatoren) and j.indikatoren[-1] == tag.year - 1
        assert j.budgets == (tag.year - 1, tag.year, tag.year + 1) == tuple(x + v for x in basis.budgets)
        d = erzeuge_demo(kommune, stichtag=tag)
        assert d.stichtag == tag
        assert {z["jahr"] for z in d.indikatoren} == set(j.indikatoren)
        assert {b["jahr"] for b in d.budgets} == set(j.budgets)
        assert {s["datum"].year for s in d.sitzungen} == set(j.sitzungen)
        ab = {b["stufe"]: b["gueltig_ab"] for b in d.stufenbeschluesse}
        assert ab == {1: date(2025 + v, 1, 1), 2: date(2026 + v, 1, 1), 3: date(2026 + v, 7, 1)}
        assert all(str(b["gueltig_ab"].year) in b["beschluss"] for b in d.stufenbeschluesse if b["stufe"] > 1)
        assert d.teilgremien[0]["gueltig_ab"] == date(2026 + v, 7, 1)
        assert f"ab Juli {2026 + v}" in d.teilgremien[0]["beschluss"]


def _namespace(roh: dict) -> SimpleNamespace:
    """Konfiguration ohne pydantic: Listen von Zuordnungen werden Objekte, Zuordnungen bleiben dicts."""

    def obj(x):
        return SimpleNamespace(**x) if isinstance(x, dict) else x

    return SimpleNamespace(**{k: [obj(x) for x in v] if isinstance(v, list) else v for k, v in roh.items()})


def test_braucht_nur_die_dokumentierten_attribute_der_konfiguration(demo):
    roh = yaml.safe_load(Path(KOMMUNE_STANDARD).read_text(encoding="utf-8"))
    assert erzeuge_demo(_namespace(roh)) == demo


# --- Geometrie ---------------------------------------------------------------------------------------


def test_stadtteile_lueckenlos_und_ueberlappungsfrei(kommune, demo, polygone_m):
    namen = [s for sr in kommune.sozialraeume for s in sr.stadtteile]
    assert [st["name"] for st in demo.stadtteile] == namen
    for st in demo.stadtteile:
        assert isinstance(st["geometry"], Polygon) and st["geometry"].is_valid, st["name"]
        assert st["sozialraum"] == next(sr.name for sr in kommune.sozialraeume if st["name"] in sr.stadtteile)
        lon, lat = st["geometry"].centroid.coords[0]
        assert 8.1 < lon < 8.4 and 49.9 < lat < 50.05, "EPSG:4326 (lon, lat) erwartet"
    for (a, pa), (b, pb) in itertools.combinations(polygone_m.items(), 2):
        assert pa.intersection(pb).area < 1.0, (a, b)
    vereinigt = shapely.union_all(list(polygone_m.values()))
    umriss = stadtumriss(crs_metrisch=kommune.crs_metrisch)
    assert vereinigt.geom_type == "Polygon" and not list(vereinigt.interiors)
    assert vereinigt.symmetric_difference(umriss).area < 1e-6 * umriss.area  # nur Rundung (1 cm)
    assert 95e6 < umriss.area < 102e6  # amtlich 97,75 km²


def _flaechen_belegt() -> dict[str, float]:
    pfad = REALDATA / "mainz_stadtteile_kennzahlen.csv"
    if not pfad.exists():
        return {}
    import csv

    with pfad.open(encoding="utf-8") as f:
        return {r["stadtteil"]: float(r["wert"]) for r in csv.DictReader(f) if r["merkmal"] == "Fläche Ortsbezirk"}


def test_flaechen_in_der_richtigen_groessenordnung(polygone_m):
    flaechen = {n: p.area / 1e6 for n, p in polygone_m.items()}
    assert all(1.5 < f < 16 for f in flaechen.values()), flaechen
    belegt = _flaechen_belegt()
    for name, soll in belegt.items():
        assert 0.6 < flaechen[name] / soll < 1.5, (name, round(flaechen[name], 2), soll)


def _realdatei(name: str) -> Path:
    pfad = REALDATA / name
    if not pfad.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{pfad} fehlt, mit CI=true müssen Realdaten-Tests laufen")
        pytest.skip(f"{pfad} nicht vorhanden")
    return pfad


@pytest.mark.realdata
def test_demo_stadtteile_liegen_im_echten_ortsbezirk(demo):
    # Nur Prüfung: die Demo-Geometrie ist selbst gezeichnet, die echte Datei wird nie übernommen.
    echt = json.loads(_realdatei("mainz_ortsbezirke_lageinfo_named.geojson").read_text(encoding="utf-8"))
    polygone = {f["properties"]["ortsbezirk"]: shape(f["geometry"]) for f in echt["features"]}
    daneben = [
        st["name"] for st in demo.stadtteile if not polygone[st["name"]].contains(st["geometry"].representative_point())
    ]
    assert not daneben


# --- Einrichtungen -----------------------------------------------------------------------------------


def test_einrichtungen_anzahl_arten_und_felder(kommune, demo):
    assert 150 <= len(demo.einrichtungen) <= 250
    arten = Counter(e["art"] for e in demo.einrichtungen)
    assert set(arten) == {a.schluessel for a in kommune.einrichtungsarten}
    assert arten["asd"] == len(kommune.sozialraeume)
    plz = re.compile(r"^.+, 55\d{3} Mainz$")
    for e in demo.einrichtungen:
        assert e["traeger_art"] in ("staedtisch", "frei") and e["traeger"]
        assert plz.match(e["adresse"]), e["adresse"]
        assert e["quelle"] == QUELLE
        assert e["angebote"] and all(isinstance(a, str) for a in e["angebote"])
        if e["art"] == "kita":
            assert 25 <= e["kapazitaet"] <= 120
        else:
            assert e["kapazitaet"] is None
    assert len({e["name"] for e in demo.einrichtungen}) == len(demo.einrichtungen)
    assert {"staedtisch", "frei"} == {e["traeger_art"] for e in demo.einrichtungen if e["art"] == "kita"}


def test_einrichtung_liegt_eindeutig_in_ihrem_stadtteil(demo, polygone_m):
    for e in demo.einrichtungen:
        p = nach_metrisch(e["geometry"], crs_metrisch=25832)
        assert isinstance(e["geometry"], Point)
        poly = polygone_m[e["stadtteil"]]
        assert poly.contains(p), e["schluessel"]
        assert poly.exterior.distance(p) > 25, e["schluessel"]  # 30 m Randabstand, Rundung eingerechnet
        assert [n for n, q in polygone_m.items() if q.contains(p)] == [e["stadtteil"]]


def test_einige_einrichtungen_neu_oder_geschlossen(demo):
    vorjahr = demo_jahre(demo.stichtag).vorjahr  # neue Kitas seit Beginn des Demo-Zeitraums
    neu = [e for e in demo.einrichtungen if e["gueltig_von"] and e["gueltig_von"].year >= vorjahr]
    zu = [e for e in demo.einrichtungen if e["gueltig_bis"]]
    assert 2 <= len(neu) <= 10 and 2 <= len(zu) <= 10
    assert all(e["gueltig_von"] <= date(vorjahr + 1, 9, 1) for e in neu)  # zuletzt im September des Jahres
    for e in demo.einrichtungen:
        if e["gueltig_von"] and e["gueltig_bis"]:
            assert e["gueltig_von"] < e["gueltig_bis"]


# --- Netzwerke, Indikatoren --------------------------------------------------------------------------


def test_netzwerke(kommune, demo, einrichtung):
    assert 10 <= len(demo.netzwerke) <= 16
    assert {n["status"] for n in demo.netzwerke} == {"besteht", "soll entwickelt werden"}
    assert any(n["sozialraum"] is None for n in demo.netzwerke)
    srs = {sr.name: set(sr.stadtteile) for sr in kommune.sozialraeume}
    for n in demo.netzwerke:
        assert n["mitglieder"] and len(set(n["mitglieder"])) == len(n["mitglieder"])
        if n["sozialraum"] is not None:
            assert all(einrichtung[k]["stadtteil"] in srs[n["sozialraum"]] for k in n["mitglieder"])


def test_indikatoren_decken_alle_stadtteile_merkmale_und_jahre_ab(kommune, demo):
    schluessel = Counter((z["stadtteil"], z["merkmal"], z["jahr"]) for z in demo.indikatoren)
    assert max(schluessel.values()) == 1
    jahre = defaultdict(set)
    for st, merkmal, jahr in schluessel:
        jahre[(st, merkmal)].add(jahr)
    for sr in kommune.sozialraeume:
        for st in sr.stadtteile:
            for m in kommune.merkmale:
                assert len(jahre[(st, m.schluessel)]) >= 3, (st, m.schluessel)
    assert all(z["quelle"] for z in demo.indikatoren)
    for jahr in demo_jahre(demo.stichtag).indikatoren:
        einwohner = sum(z["wert"] for z in demo.indikatoren if z["merkmal"] == "einwohner" and z["jahr"] == jahr)
        assert 210_000 < einwohner < 235_000, jahr


@pytest.mark.parametrize("stichtag", [date(BASISJAHR, 11, 20), None], ids=["basisjahr", "heute"])
def test_belegte_zahlen_werden_mit_quelle_uebernommen(kommune, stichtag):
    demo = erzeuge_demo(kommune, stichtag=stichtag)
    jahre = demo_jahre(demo.stichtag).indikatoren
    werte = {(z["stadtteil"], z["merkmal"], z["jahr"]): z for z in demo.indikatoren}
    alle = lade("stadtteile.yaml")["belegt"]
    belegt = [b for b in alle if b["jahr"] in jahre]
    if stichtag is not None:  # im Basisjahr liegen die belegten Jahre 2022/2023 im Zeitraum
        assert len(belegt) >= 15
    for b in belegt:
        z = werte[(b["stadtteil"], b["merkmal"], b["jahr"])]
        assert z["wert"] == pytest.approx(b["wert"]) and z["quelle"] == b["quelle"]
    # spätere Jahre: vom belegten Wert fortgeschrieben, mit Verweis auf ihn
    for b in alle:
        for jahr in (j for j in jahre if j > b["jahr"] and (b["stadtteil"], b["merkmal"], j) not in
                     {(x["stadtteil"], x["merkmal"], x["jahr"]) for x in alle}):
            z = werte[(b["stadtteil"], b["merkmal"], jahr)]
            assert z["quelle"].startswith("Demo-Schätzung, fiktiv, fortgeschrieben vom belegten Wert für"), z
    geschaetzt = [z for z in demo.indikatoren if z["merkmal"] == "einwohner_u6"]
    assert all(z["quelle"].startswith("Demo-Schätzung, fiktiv") for z in geschaetzt)


# --- Sitzungen ---------------------------------------------------------------------------------------


def test_kijukuz_sind_staedtisch(demo):
    kijukuz = [e for e in demo.einrichtungen if e["art"] == "kijukuz"]
    assert kijukuz and {e["traeger_art"] for e in kijukuz} == {"staedtisch"}


def test_schulsozialarbeit_an_vorhandener_schule_im_selben_stadtteil(demo, polygone_m):
    schulen = {e["name"]: e for e in demo.einrichtungen
               if e["art"] in ("grundschule", "weiterfuehrende_schule", "foerderschule")}
    ssa = [e for e in demo.einrichtungen if e["art"] == "schulsozialarbeit"]
    assert len(ssa) >= 10
    orte = []
    for e in ssa:
        name = e["name"].removeprefix("Schulsozialarbeit an der ").replace("Integrierten", "Integrierte", 1)
        assert name in schulen, e["name"]
        schule = schulen[name]
        assert schule["stadtteil"] == e["stadtteil"] and schule["adresse"] == e["adresse"]
        assert polygone_m[e["stadtteil"]].contains(nach_metrisch(e["geometry"], crs_metrisch=25832))
        assert not schule["name"].startswith("Gymnasium")
        orte.append(schule)
    assert len({s["name"] for s in orte}) == len(orte), "höchstens eine Schulsozialarbeit je Schule"
    assert any(s["name"].startswith(("Realschule plus", "Integrierte Gesamtschule")) for s in orte)
    assert any(s["art"] == "grundschule" for s in orte)


def test_keine_doppelten_zusaetze_in_namen(demo):
    for e in demo.einrichtungen:
        assert f"({e['stadtteil']})" not in e["name"] or e["name"].count(e["stadtteil"]) == 1, e["name"]


def test_belegte_zahlen_sagen_lesbar_woher_sie_stammen():
    for b in lade("stadtteile.yaml")["belegt"]:
        q = b["quelle"]
        assert re.search(r"am \d{2}\.\d{2}\.\d{4}|Datenstand", q), q  # Stichtag oder dass er fehlt
        assert re.search(r"Gelesen (in der Kopie|unter) https?://", q), q  # welche Kopie gelesen wurde
        if "Wikipedia" in q:
            assert "Infobox" in q or "Fassung" in q, q
            assert "Primärquelle" in q, q  # ob die dort genannte Quelle selbst eingesehen wurde
    melderegister = [b for b in lade("stadtteile.yaml")["belegt"] if "Melderegister" in b["quelle"]]
    assert melderegister and all("31.12.2023" in b["quelle"] for b in melderegister)
