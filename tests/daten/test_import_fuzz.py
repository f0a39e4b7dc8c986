"""Fuzzing der Importe (hypothesis): immer eine deutsche Meldung oder ein Bericht, nie eine unerwartete Ausnahme,
nie ein halber Schreibvorgang."""

import json
import math
import re
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from daten.db import erstelle_engine
from daten.fehler import RessourcenkarteFehler
from daten.importe import ARTEN, Quelle, importiere
from tests.daten.import_hilfen import ADMIN, stand

EINSTELLUNG = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                               HealthCheck.too_slow])
ENDUNGEN = [".csv", ".txt", ".xlsx", ".json", ".geojson", ".gpkg", ".zip", ".shp", ".xls", ""]
DEUTSCH = {"datei", "zeile", "bitte", "nicht", "kein", "keine", "ist", "leer", "spalte", "fehler", "ohne", "oder",
           "und", "die", "der", "das", "hat", "mit", "objekt", "geometrie", "eintragen", "prüfen", "zeilen", "gibt",
           "als", "gelesen", "spalten", "erkannt", "liegt", "wird", "werden", "nur", "noch", "für", "von", "im", "in"}
ENGLISCH = {"the", "error", "invalid", "exception", "traceback", "not", "unexpected", "failed"}


def _deutsch(text: str) -> bool:
    woerter = set(re.findall(r"[a-zäöüß]+", text.lower()))
    return bool(woerter & DEUTSCH) and not (woerter & ENGLISCH)


class _Db(tuple):
    def __repr__(self) -> str:  # kurze Ausgabe in hypothesis-Berichten
        return "fuzz_db"


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory, demo_sqlite_url):
    ziel = tmp_path_factory.mktemp("fuzz") / "demo.db"
    with sqlite3.connect(make_url(demo_sqlite_url).database) as q, sqlite3.connect(ziel) as z:
        q.backup(z)
    engine = erstelle_engine(f"sqlite:///{ziel}")
    yield _Db((engine, stand(engine)))
    engine.dispose()
    shutil.rmtree(ziel.parent, ignore_errors=True)


def _pruefe(fuzz_db, kommune, name: str, daten: bytes, art: str, probe: bool) -> None:
    engine, davor = fuzz_db
    try:
        erg = importiere(engine, kommune, art, Quelle(name, daten), akteur=ADMIN, probe=probe)
    except RessourcenkarteFehler as exc:
        text = str(exc)
        assert text and _deutsch(text), text
        assert stand(engine) == davor
        return
    assert not erg.geschrieben or not erg.bericht.hat_fehler
    for b in erg.bericht.befunde:
        assert _deutsch(b.problem + " " + b.handlung), b
    if not erg.geschrieben:
        assert stand(engine) == davor
    else:  # ein zufällig gültiger Import: zurück auf den Ausgangsstand für die nächsten Beispiele
        pytest.skip("zufällig gültige Datei geschrieben")


@EINSTELLUNG
@given(daten=st.binary(max_size=3000), endung=st.sampled_from(ENDUNGEN), art=st.sampled_from(list(ARTEN)))
def test_zufaellige_bytes(fuzz_db, kommune, daten, endung, art):
    _pruefe(fuzz_db, kommune, f"fuzz{endung}", daten, art, probe=False)


json_werte = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.text(max_size=30),
    lambda kinder: st.lists(kinder, max_size=5) | st.dictionaries(st.text(max_size=10), kinder, max_size=5),
    max_leaves=30)


@EINSTELLUNG
@given(wert=json_werte, abschneiden=st.integers(min_value=0, max_value=50), art=st.sampled_from(list(ARTEN)))
def test_kaputtes_json(fuzz_db, kommune, wert, abschneiden, art):
    text = json.dumps(wert)
    if abschneiden:
        text = text[: max(1, len(text) - abschneiden)]
    _pruefe(fuzz_db, kommune, "x.json", text.encode(), art, probe=False)


koordinate = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([8.27, 49.99, 1e308, -0.0])
geometrie = st.one_of(
    st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, koordinate, koordinate),
    st.builds(lambda pts: {"type": "LineString", "coordinates": pts}, st.lists(st.tuples(koordinate, koordinate),
                                                                                max_size=4)),
    st.builds(lambda pts: {"type": "Polygon", "coordinates": [pts]}, st.lists(st.tuples(koordinate, koordinate),
                                                                               max_size=6)),
    st.builds(lambda t: {"type": t, "coordinates": "kaputt"}, st.sampled_from(["Point", "Polygon", "Kreis"])),
    st.none(),
)
eigenschaften = st.dictionaries(st.sampled_from(["name", "art", "ortsbezirk", "amenity", "leisure", "id"]),
                                st.text(max_size=20) | st.sampled_from(["Kita", "Mombach", "playground", "x" * 5000]),
                                max_size=5)


@EINSTELLUNG
@given(objekte=st.lists(st.tuples(eigenschaften, geometrie), max_size=6), art=st.sampled_from(["stadtteile",
                                                                                               "einrichtungen"]))
def test_geojson_mit_falschen_geometrien(fuzz_db, kommune, objekte, art):
    fc = {"type": "FeatureCollection",
          "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in objekte]}
    _pruefe(fuzz_db, kommune, "x.geojson", json.dumps(fc).encode(), art, probe=False)


zelle = st.text(max_size=15) | st.sampled_from(["49,99", "8,27", "1.234,5", "Kita", "Mombach", "2024", "nan",
                                                "inf", "", "x" * 400, "einwohner"])


@EINSTELLUNG
@given(kopf=st.lists(st.sampled_from(["name", "art", "lat", "lon", "x", "y", "wkt", "stadtteil", "jahr",
                                      "merkmal", "wert", "einwohner", "Kapazität", "gültig von"]) | st.text(max_size=8),
                     min_size=1, max_size=7),
       zeilen=st.lists(st.lists(zelle, max_size=8), max_size=8),
       trenn=st.sampled_from([",", ";", "\t"]), kodierung=st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"]),
       art=st.sampled_from(["einrichtungen", "indikatoren"]))
def test_csv_mit_beliebigem_inhalt(fuzz_db, kommune, kopf, zeilen, trenn, kodierung, art):
    text = "\n".join(trenn.join(z) for z in [kopf, *zeilen])
    _pruefe(fuzz_db, kommune, "x.csv", text.encode(kodierung, errors="replace"), art, probe=False)


def test_riesiger_text_und_leere_datei(fuzz_db, kommune):
    lat, lon = kommune.kartenmitte
    _pruefe(fuzz_db, kommune, "x.csv", f"name,art,lat,lon\n{'x' * 200_000},kita,{lat},{lon}\n".encode(),
            "einrichtungen", probe=False)
    for art in ARTEN:
        _pruefe(fuzz_db, kommune, "leer.csv", b"", art, probe=False)
        _pruefe(fuzz_db, kommune, "nur_kopf.csv", b"a,b\n", art, probe=False)
    assert not math.isnan(lat)
