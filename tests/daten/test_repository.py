"""Repository-Frames auf beiden Backends: gleiche Inhalte wie die erzeugten Demo-Daten."""

from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from sqlalchemy import func, select

from daten import modelle as m
from daten import repository as repo
from daten.db import sitzung
from daten.demo import erzeuge_demo


@pytest.fixture(scope="module")
def demo(kommune):
    return erzeuge_demo(kommune)


@pytest.fixture
def s(demo_engine):
    with sitzung(demo_engine, akteur=None) as session:
        yield session


def test_zahlen_wie_erzeugt(s, demo, kommune):
    assert len(repo.sozialraeume(session=s)) == 10
    assert len(repo.stadtteile(session=s)) == 15
    assert len(repo.einrichtungen(session=s, kommune=kommune)) == len(demo.einrichtungen)
    assert len(repo.netzwerke(session=s)) == len(demo.netzwerke)
    assert len(repo.indikatoren(session=s)) == len(demo.indikatoren)
    assert s.scalar(select(func.count()).select_from(m.Sitzung)) == len(demo.sitzungen)
    assert s.scalar(select(func.count()).select_from(m.Massnahme)) == len(demo.massnahmen)


def test_frames_sind_epsg4326_und_sozialraum_ist_vereinigung(s):
    sr = repo.sozialraeume(session=s)
    st = repo.stadtteile(session=s)
    assert sr.crs.to_epsg() == 4326 and st.crs.to_epsg() == 4326
    sr_m, st_m = sr.to_crs(25832), st.to_crs(25832)
    for _, zeile in sr_m.iterrows():
        union = st_m[st_m["sozialraum"] == zeile["name"]].union_all()
        assert zeile.geometry.symmetric_difference(union).area < 1.0


def test_jede_einrichtung_liegt_in_ihrem_sozialraum(s, kommune):
    ein = repo.einrichtungen(session=s, kommune=kommune)
    st = repo.stadtteile(session=s)
    j = gpd.sjoin(ein[["stadtteil", "geometry"]], st[["name", "geometry"]], predicate="within")
    assert len(j) == len(ein)
    assert (j["stadtteil"] == j["name"]).all()


def test_gremium_nach_stufe(s, kommune, demo):
    alle = repo.einrichtungen(session=s, kommune=kommune)
    heute = date.today()
    offen = alle["gueltig_bis"].map(lambda d: d is None or pd.isna(d) or d >= heute) & alle["gueltig_von"].map(
        lambda d: d is None or pd.isna(d) or d <= heute)
    assert (~offen).any() and not alle.loc[~offen, "im_gremium"].any()  # geschlossen: nie im Gremium
    ein = alle[offen]
    # die Demo-Gremien stehen auf verschiedenen Stufen: Kitas freier Träger (ab Stufe 3) nur dort im Gremium
    stufe = {sr.name: sr.stufe for sr in s.scalars(select(m.Sozialraum))}
    freie_kitas = ein[(ein["art"] == "kita") & (ein["traeger_art"] == "frei")]
    staedt_kitas = ein[(ein["art"] == "kita") & (ein["traeger_art"] == "staedtisch")]
    assert len(freie_kitas) and not freie_kitas["im_gremium"].all()
    assert (freie_kitas["im_gremium"] == (freie_kitas["sozialraum"].map(stufe) >= 3)).all()
    # Stufe 3 gilt in der Demo ab Juli des laufenden Jahres: davor ist keine freie Kita im Gremium, danach einige
    ab3 = min(b["gueltig_ab"] for b in demo.stufenbeschluesse if b["stufe"] == 3)
    assert ab3 == date(demo.stichtag.year, 7, 1)
    assert freie_kitas["im_gremium"].any() == (date.today() >= ab3) == (max(stufe.values()) == 3)
    assert len(staedt_kitas) and staedt_kitas["im_gremium"].all()
    assert not ein.loc[ein["art"] == "spielplatz", "im_gremium"].any()


def test_stichtag_filtert_gueltigkeit(s, kommune, demo):
    alle = repo.einrichtungen(session=s, kommune=kommune)
    tag = date(2022, 6, 30)
    erwartet = sum(1 for d in demo.einrichtungen
                   if (d["gueltig_von"] is None or d["gueltig_von"] <= tag)
                   and (d["gueltig_bis"] is None or d["gueltig_bis"] >= tag))
    am_tag = repo.einrichtungen(session=s, kommune=kommune, stichtag=tag)
    assert len(am_tag) == erwartet
    assert len(am_tag) < len(alle)


def test_netzwerk_kanten_verbinden_mitglieder(s, kommune):
    kanten = repo.netzwerk_kanten(session=s)
    assert set(kanten["status"]) == {"besteht", "soll entwickelt werden"}
    assert (kanten.geometry.geom_type == "LineString").all()
    ein = repo.einrichtungen(session=s, kommune=kommune)
    assert set(kanten["von"]) | set(kanten["nach"]) <= set(ein["name"])
