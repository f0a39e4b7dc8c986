"""Initialisierung: Schema, Kommune-Konfiguration, Demo-Konten und Demo-Daten (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune
from daten.db import migriere, pruefe_verbindung, sitzung
from daten.einstellungen import DEMO_PASSWORT
from daten.rechte import SYSTEM, hash_passwort


@dataclass(frozen=True)
class Ergebnis:
    """Was `initialisiere` getan hat (für die CLI-Ausgabe)."""

    sozialraeume: int
    stadtteile: int
    einrichtungen: int
    demo_neu: bool


def initialisiere(
    engine: Engine, kommune: Kommune, *, demo: bool = False, admin_passwort: str | None = None
) -> Ergebnis:
    """Schema anlegen/aktualisieren, Konfiguration übernehmen, optional Demo-Daten laden.

    Zweimal aufgerufen ändert nichts: Sozialräume/Stadtteile werden über ihren Namen abgeglichen,
    Demo-Daten nur einmal je Kommune geladen. Alles in einer Transaktion.
    """
    pruefe_verbindung(engine)
    migriere(engine)
    demo_neu = False
    with sitzung(engine, akteur=SYSTEM) as s:
        k = _kommune_abgleichen(s, kommune)
        if admin_passwort:
            _konto(s, "admin", "Administration", "admin", None, admin_passwort)
        if demo:
            _demo_konten(s, kommune)
            if not k.demo_geladen:
                from daten.demo_laden import lade_demo

                lade_demo(s, kommune)
                k.demo_geladen = True
                demo_neu = True
    with sitzung(engine, akteur=None) as s:
        return Ergebnis(
            sozialraeume=s.scalar(select(func.count()).select_from(m.Sozialraum)) or 0,
            stadtteile=s.scalar(select(func.count()).select_from(m.Stadtteil)) or 0,
            einrichtungen=s.scalar(select(func.count()).select_from(m.Einrichtung)) or 0,
            demo_neu=demo_neu,
        )


def _kommune_abgleichen(s: Session, kommune: Kommune) -> m.Kommune:
    k = s.scalar(select(m.Kommune).where(m.Kommune.name == kommune.name))
    if k is None:
        k = m.Kommune(name=kommune.name, demo_geladen=False)
        s.add(k)
        s.flush()
    vorhandene = {sr.name: sr for sr in s.scalars(select(m.Sozialraum).where(m.Sozialraum.kommune_id == k.id))}
    for i, cfg in enumerate(kommune.sozialraeume):
        sr = vorhandene.get(cfg.name)
        if sr is None:
            sr = m.Sozialraum(kommune_id=k.id, name=cfg.name, reihenfolge=i, stufe=cfg.stufe)
            s.add(sr)
            s.flush()
        elif sr.reihenfolge != i:
            sr.reihenfolge = i
        teile = {st.name: st for st in s.scalars(select(m.Stadtteil).where(m.Stadtteil.name.in_(cfg.stadtteile)))}
        for name in cfg.stadtteile:
            st = teile.get(name)
            if st is None:
                s.add(m.Stadtteil(name=name, sozialraum_id=sr.id))
            elif st.sozialraum_id != sr.id:
                st.sozialraum_id = sr.id
    s.flush()
    return k


def _konto(s: Session, login: str, anzeige: str, rolle: str, sozialraum_id: int | None, passwort: str) -> None:
    if s.scalar(select(m.Benutzer).where(m.Benutzer.login == login)) is None:
        s.add(m.Benutzer(login=login, anzeigename=anzeige, rolle=rolle, sozialraum_id=sozialraum_id,
                         passwort_hash=hash_passwort(passwort)))


def _demo_konten(s: Session, kommune: Kommune) -> None:
    """Demo-Konten (Passwort 'demo'): je Rolle eines, Teamleitungen je Sozialraum."""
    _konto(s, "admin", "Administration (Demo)", "admin", None, DEMO_PASSWORT)
    _konto(s, "jhp", "Jugendhilfeplanung (Demo)", "jugendhilfeplanung", None, DEMO_PASSWORT)
    _konto(s, "lenkung", "Lenkungsgruppe (Demo)", "lenkungsgruppe", None, DEMO_PASSWORT)
    for i, sr in enumerate(s.scalars(select(m.Sozialraum).order_by(m.Sozialraum.reihenfolge)), start=1):
        _konto(s, f"tl{i:02d}", f"Teamleitung ASD {sr.name} (Demo)", "teamleitung", sr.id, DEMO_PASSWORT)
        _konto(s, f"mitglied{i:02d}", f"Gremiumsmitglied {sr.name} (Demo)", "mitglied", sr.id, DEMO_PASSWORT)


def stadtteil_fuer_punkte(punkte: gpd.GeoDataFrame, stadtteile: gpd.GeoDataFrame) -> list[str | None]:
    """Ordnet Punkte (EPSG:4326) dem enthaltenden Stadtteil zu; außerhalb: nächster bis 100 m, sonst None."""
    p = punkte[["geometry"]].to_crs(25832)
    st = stadtteile[["name", "geometry"]].to_crs(25832)
    j = gpd.sjoin(p, st, how="left", predicate="within")
    j = j[~j.index.duplicated()]
    ergebnis = j["name"].astype(object)
    fehlt = ergebnis.isna()
    if fehlt.any():
        naechst = gpd.sjoin_nearest(p[fehlt], st, how="left", max_distance=100)
        naechst = naechst[~naechst.index.duplicated()]
        ergebnis.loc[fehlt] = naechst["name"]
    return [None if isinstance(v, float) else v for v in ergebnis.tolist()]
