"""Demo-Generator (`daten.demo`): Vertrag, Determinismus, Geometrie, Regeln der Konzeption."""

from __future__ import annotations

import itertools
import json
import os
import re
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest
import shapely
import yaml
from shapely.geometry import Point, Polygon, shape

from daten.demo import QUELLE, STICHTAG, erzeuge_demo
from daten.demo._stammdaten import lade
from daten.demo.geometrie import nach_metrisch, stadtumriss
from daten.demo.indikatoren import JAHRE as INDIKATOR_JAHRE
from daten.einstellungen import KOMMUNE_STANDARD

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"

SCHLUESSEL = {
    "sozialraeume": "name stufe teamleitung",
    "stadtteile": "name sozialraum geometry quelle",
    "einrichtungen": "schluessel name art traeger_art traeger adresse zielgruppen angebote kapazitaet "
    "gueltig_von gueltig_bis stadtteil geometry quelle",
    "netzwerke": "schluessel name status sozialraum beschreibung mitglieder",
    "indikatoren": "stadtteil jahr merkmal wert quelle",
    "sitzungen": "schluessel sozialraum teilgremium datum beginn ende ort protokollfuehrung protokoll_bereich "
    "protokoll_login status eingeladene teilnehmende punkte versendet_von versendet_am delegation",
    "massnahmen": "schluessel sozialraum sitzung punkt titel art beschlussvorlage kosten_geplant kosten_ist "
    "durchfuehrung genehmigt genehmigt_von genehmigt_am status jahr",
    "budgets": "sozialraum jahr kategorie betrag_eur",
    "hospitationen": "von nach datum bereich anzahl_personen zweck",
    "reflexionen": "jahr datum art vorsitzung zeitraum_von zeitraum_bis teilnehmende delegierte ergebnisse "
    "vorschlaege dokumentiert_von",
    "stufenbeschluesse": "sozialraum stufe gueltig_ab beschluss sitzung",
    "teilgremien": "sozialraum name stadtteile gueltig_ab beschluss",
}
PUNKT_SCHLUESSEL = ("frage handlungsebene text fallbesprechung anonymisiert schweigepflichtentbindung bezug "
                    "netzwerke stadtteile fehlende_ressourcen")


@pytest.fixture(scope="module")
def demo(kommune):
    return erzeuge_demo(kommune)


@pytest.fixture(scope="module")
def polygone_m(demo):
    """Stadtteil-Polygone in EPSG:25832."""
    return {st["name"]: nach_metrisch(st["geometry"]) for st in demo.stadtteile}


@pytest.fixture(scope="module")
def einrichtung(demo):
    return {e["schluessel"]: e for e in demo.einrichtungen}


def test_vertrag_hat_genau_die_vereinbarten_schluessel(demo):
    for feld, erwartet in SCHLUESSEL.items():
        zeilen = getattr(demo, feld)
        assert zeilen, feld
        for z in zeilen:
            assert set(z) == set(erwartet.split()), (feld, set(z) ^ set(erwartet.split()))
    for s in demo.sitzungen:
        for p in s["punkte"]:
            assert set(p) == set(PUNKT_SCHLUESSEL.split())
        for t in s["teilnehmende"]:
            assert set(t) == {"bereich", "einrichtung", "name"}
    for feld in ("einrichtungen", "netzwerke", "sitzungen", "massnahmen"):
        schluessel = [z["schluessel"] for z in getattr(demo, feld)]
        assert len(schluessel) == len(set(schluessel)), feld
        assert all(k.startswith("demo-") for k in schluessel), feld


def test_gleiche_saat_gleiche_daten_andere_saat_andere(kommune, demo):
    assert erzeuge_demo(kommune) == demo
    zweite = erzeuge_demo(kommune, seed=7)
    assert zweite == erzeuge_demo(kommune, seed=7)
    assert [e["geometry"] for e in zweite.einrichtungen] != [e["geometry"] for e in demo.einrichtungen]


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
    umriss = stadtumriss()
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
        p = nach_metrisch(e["geometry"])
        assert isinstance(e["geometry"], Point)
        poly = polygone_m[e["stadtteil"]]
        assert poly.contains(p), e["schluessel"]
        assert poly.exterior.distance(p) > 25, e["schluessel"]  # 30 m Randabstand, Rundung eingerechnet
        assert [n for n, q in polygone_m.items() if q.contains(p)] == [e["stadtteil"]]


def test_einige_einrichtungen_neu_oder_geschlossen(demo):
    neu = [e for e in demo.einrichtungen if e["gueltig_von"] and e["gueltig_von"].year >= 2025]
    zu = [e for e in demo.einrichtungen if e["gueltig_bis"]]
    assert 2 <= len(neu) <= 10 and 2 <= len(zu) <= 10
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
    einwohner = sum(z["wert"] for z in demo.indikatoren if z["merkmal"] == "einwohner" and z["jahr"] == 2023)
    assert 210_000 < einwohner < 235_000


def test_belegte_zahlen_werden_mit_quelle_uebernommen(demo):
    werte = {(z["stadtteil"], z["merkmal"], z["jahr"]): z for z in demo.indikatoren}
    belegt = [b for b in lade("stadtteile.yaml")["belegt"] if b["jahr"] in INDIKATOR_JAHRE]
    assert len(belegt) >= 15
    for b in belegt:
        z = werte[(b["stadtteil"], b["merkmal"], b["jahr"])]
        assert z["wert"] == pytest.approx(b["wert"]) and z["quelle"] == b["quelle"]
    geschaetzt = [z for z in demo.indikatoren if z["merkmal"] == "einwohner_u6"]
    assert all(z["quelle"].startswith("Demo-Schätzung, fiktiv") for z in geschaetzt)


# --- Sitzungen ---------------------------------------------------------------------------------------


def test_jeder_sozialraum_tagt_mit_vollstaendigem_protokoll(kommune, demo):
    fragen = set(range(1, len(kommune.fragen) + 1))
    for sr in kommune.sozialraeume:
        eigene = [s for s in demo.sitzungen if s["sozialraum"] == sr.name]
        for jahr in (2025, 2026):
            voll = [s for s in eigene if s["datum"].year == jahr and {p["frage"] for p in s["punkte"]} == fragen]
            assert len(voll) >= 2, (sr.name, jahr)
            for halbjahr in (1, 2):  # R5: mindestens einmal im Halbjahr
                assert any(s["datum"].year == jahr and (s["datum"].month > 6) + 1 == halbjahr for s in eigene)
        assert any(s["status"] in ("geplant", "eingeladen") for s in eigene)


def test_sitzungen_status_orte_und_teilnehmende(kommune, demo, einrichtung):
    ebenen = set(kommune.handlungsebenen)
    srs = {sr.name: set(sr.stadtteile) for sr in kommune.sozialraeume}
    for s in demo.sitzungen:
        assert s["status"] in ("geplant", "eingeladen", "durchgefuehrt", "protokolliert", "versendet")
        assert (s["datum"] > STICHTAG) == (s["status"] in ("geplant", "eingeladen"))
        if s["status"] in ("protokolliert", "versendet"):
            assert s["punkte"] and s["teilnehmende"]
        else:
            assert not s["punkte"]
        assert einrichtung[s["ort"]]["stadtteil"] in srs[s["sozialraum"]]
        assert s["protokollfuehrung"]
        for t in s["teilnehmende"]:
            assert t["einrichtung"] is None or t["einrichtung"] in einrichtung
        for p in s["punkte"]:
            assert p["handlungsebene"] in ebenen
            assert all(k in einrichtung for k in p["bezug"])
            if p["fallbesprechung"]:  # R3
                assert p["anonymisiert"] or p["schweigepflichtentbindung"]
    orte = Counter(einrichtung[s["ort"]]["art"] for s in demo.sitzungen)
    assert orte["asd"] and orte["kita"] and orte["kijukuz"]  # R5: Wechsel der Orte
    bereiche = {t["bereich"] for s in demo.sitzungen for t in s["teilnehmende"]}
    assert {"ASD", "Kita", "KiJuKuZ", "Schulsozialarbeit", "Quartiermanagement"} <= bereiche


def test_protokolle_ohne_personendaten(demo):
    namen = {t["name"] for s in demo.sitzungen for t in s["teilnehmende"]}
    muster = re.compile(r"@|\b\d{2}\.\d{2}\.\d{4}\b|\b0\d{3,}[ /-]?\d{3,}")
    for s in demo.sitzungen:
        for p in s["punkte"]:
            assert not muster.search(p["text"]), p["text"]
            assert not any(n in p["text"] for n in namen), p["text"]


# --- Maßnahmen, Budgets, Hospitationen, Reflexionen --------------------------------------------------


def test_massnahmen_und_budgets(kommune, demo):
    sitzungen = {s["schluessel"]: s for s in demo.sitzungen}
    budget = {(b["sozialraum"], b["jahr"], b["kategorie"]): b["betrag_eur"] for b in demo.budgets}
    kategorien = {k.schluessel: k for k in kommune.budgetkategorien}
    eigene_budgets = [k for k in kategorien.values() if not k.anteil_von]
    assert len(budget) == len(kommune.sozialraeume) * 2 * len(eigene_budgets)
    summe: dict[tuple, float] = defaultdict(float)
    for m in demo.massnahmen:
        assert m["art"] in kommune.massnahmenarten and m["beschlussvorlage"] in kommune.beschlussvorlagen
        s = sitzungen[m["sitzung"]]
        assert s["sozialraum"] == m["sozialraum"] and s["datum"].year == m["jahr"] and s["punkte"]
        assert m["genehmigt"] == (m["status"] in ("genehmigt", "umgesetzt"))
        assert (m["kosten_ist"] is None) == (m["status"] != "umgesetzt")
        assert (m["genehmigt_von"] is None) == (m["status"] == "beantragt")
        assert m["kosten_geplant"] > 0
        if m["status"] != "abgelehnt":
            summe[(m["sozialraum"], m["jahr"], m["art"])] += m["kosten_geplant"]
    gruppe = {k.schluessel: k.anteil_von or k.schluessel for k in kategorien.values()}
    je_gruppe: dict[tuple, float] = defaultdict(float)
    for (sr, jahr, art), betrag in summe.items():
        je_gruppe[(sr, jahr, gruppe[art])] += betrag
    for (sr, jahr, g), betrag in je_gruppe.items():
        assert betrag <= budget[(sr, jahr, g)], (sr, jahr, g)  # Fortbildung zählt gegen fallunspezifisch (R12)
    for k in kategorien.values():
        if k.deckel_eur is None:
            continue
        assert not any(b["kategorie"] == k.schluessel for b in demo.budgets)  # kein eigenes Budget, nur Deckel
        ausgeschoepft = [v / k.deckel_eur for (_, _, art), v in summe.items() if art == k.schluessel]
        assert max(ausgeschoepft) <= 1.0
        assert max(ausgeschoepft) >= k.warnung_ab_anteil  # ein Sozialraum zeigt die Warnung (R12)
    for sr in kommune.sozialraeume:
        for jahr in (2025, 2026):
            arten = {m["art"] for m in demo.massnahmen if m["sozialraum"] == sr.name and m["jahr"] == jahr}
            assert arten == set(kommune.massnahmenarten), (sr.name, jahr)


def test_hospitationen_und_reflexionen(kommune, demo, einrichtung):
    assert len(demo.hospitationen) >= len(kommune.sozialraeume)
    for h in demo.hospitationen:
        assert h["von"] != h["nach"] and h["von"] in einrichtung and h["nach"] in einrichtung
        assert h["datum"] <= STICHTAG and h["bereich"]
    assert demo.reflexionen and all(r["datum"] <= STICHTAG and r["ergebnisse"] for r in demo.reflexionen)
    for r in demo.reflexionen:  # 5.2: nach den Sitzungen, die sie betrachtet
        betrachtet = [s for s in demo.sitzungen if r["zeitraum_von"] <= s["datum"] <= r["zeitraum_bis"]]
        assert betrachtet and all(s["datum"] < r["datum"] for s in betrachtet)


# --- Glaubwürdiges Mainz (Konzeption 3.1) ------------------------------------------------------------


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
        assert polygone_m[e["stadtteil"]].contains(nach_metrisch(e["geometry"]))
        assert not schule["name"].startswith("Gymnasium")
        orte.append(schule)
    assert len({s["name"] for s in orte}) == len(orte), "höchstens eine Schulsozialarbeit je Schule"
    assert any(s["name"].startswith(("Realschule plus", "Integrierte Gesamtschule")) for s in orte)
    assert any(s["art"] == "grundschule" for s in orte)


def test_keine_doppelten_zusaetze_in_namen(demo):
    for e in demo.einrichtungen:
        assert f"({e['stadtteil']})" not in e["name"] or e["name"].count(e["stadtteil"]) == 1, e["name"]


def test_gremien_mit_teamleitung_und_verschiedenen_stufen(kommune, demo):
    assert [s["name"] for s in demo.sozialraeume] == [sr.name for sr in kommune.sozialraeume]
    assert {s["stufe"] for s in demo.sozialraeume} == {1, 2, 3}
    namen = [s["teamleitung"] for s in demo.sozialraeume]
    assert all(namen) and len(set(namen)) == len(namen)
    for s in demo.sozialraeume:  # die Teamleitung schreibt das Protokoll, wenn der ASD an der Reihe ist (4.1)
        fuehrung = {x["protokollfuehrung"] for x in demo.sitzungen
                    if x["sozialraum"] == s["name"] and x["protokoll_bereich"] == "ASD"}
        assert fuehrung == {f"{s['teamleitung']} (ASD)"}


def test_teilnahme_folgt_der_stufe_des_gremiums(kommune, demo, einrichtung):
    stufe = {s["name"]: s["stufe"] for s in demo.sozialraeume}
    arten = {a.schluessel: a for a in kommune.einrichtungsarten}
    freie_kitas = 0
    for s in demo.sitzungen:
        for t in s["teilnehmende"]:
            e = einrichtung.get(t["einrichtung"] or "")
            if e is None or e["art"] in ("fruehe_hilfen", "suchthilfe"):
                continue  # Gäste „bei Bedarf“
            ab = arten[e["art"]].stufe_fuer(e["traeger_art"])
            assert ab is not None and ab <= stufe[s["sozialraum"]], (s["sozialraum"], e["name"])
            freie_kitas += e["art"] == "kita" and e["traeger_art"] == "frei"
    assert freie_kitas > 0  # Stufe 3: Kitas freier Träger sind dabei


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
