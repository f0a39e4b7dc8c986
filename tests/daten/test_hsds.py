"""HSDS-3.0-Export: jede offene Einrichtung ein Service, streng gültig nach dem Schema der Spezifikation."""

import json
import subprocess
import sys
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from daten import modelle as m
from daten.db import sitzung
from daten.export import exportiere
from daten.hsds import NAMENSRAUM, dienste
from daten.politik import SYSTEM
from tests.conftest import IN_CI, REALDATA

pytest_plugins = ["tests.daten.import_fixtures"]
VALIDATOR = REALDATA.parent / "hsds" / "validate.py"


def _validiere(pfad) -> str:
    if not VALIDATOR.exists():
        if IN_CI:
            pytest.fail(f"{VALIDATOR} fehlt (CI=true)")
        pytest.skip(f"{VALIDATOR} nicht vorhanden")
    r = subprocess.run([sys.executable, str(VALIDATOR), str(pfad)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return r.stdout


def _offen(engine) -> list[m.Einrichtung]:
    heute = date.today()
    with sitzung(engine, akteur=None) as s:
        return [e for e in s.scalars(select(m.Einrichtung))
                if e.aktiv and (e.gueltig_bis is None or e.gueltig_bis >= heute)]


def test_export_ist_streng_gueltig_und_vollstaendig(demo_engine, kommune, tmp_path):
    pfad = tmp_path / "verzeichnis.hsds.json"
    with sitzung(demo_engine, akteur=None) as s:
        text = exportiere(pfad, session=s, kommune=kommune)
    offen = _offen(demo_engine)
    assert f"{len(offen)} Services" in text
    ausgabe = _validiere(pfad)
    assert f"{len(offen)} of {len(offen)} services valid" in ausgabe
    dienste_ = json.loads(pfad.read_text(encoding="utf-8"))
    assert isinstance(dienste_, list) and len(dienste_) == len(offen)
    nach_ort = {d["service_at_locations"][0]["location"]["external_identifier"]: d for d in dienste_}
    e = offen[0]
    d = nach_ort[e.schluessel]
    assert d["id"] == str(uuid.uuid5(NAMENSRAUM, f"{kommune.name}/einrichtung/{e.schluessel}"))
    assert d["name"] == e.name and d["organization"]["name"] == e.traeger and d["status"] == "active"
    ort = d["service_at_locations"][0]["location"]
    assert (ort["latitude"], ort["longitude"]) == (pytest.approx(e.geometrie.y), pytest.approx(e.geometrie.x))
    adresse = ort["addresses"][0]
    assert adresse["postal_code"] in e.adresse and adresse["city"] == "Mainz" and adresse["country"] == "DE"
    assert adresse["state_province"] == kommune.bundesland
    assert d["attributes"][0]["taxonomy_term"]["code"] == e.art
    # gleicher Träger = gleiche Organisation
    orgs = {}
    for x in dienste_:
        orgs.setdefault(x["organization"]["name"], set()).add(x["organization"]["id"])
    assert all(len(ids) == 1 for ids in orgs.values())
    assert len({x["id"] for x in dienste_}) == len(dienste_)


def test_ids_sind_stabil_geschlossene_fehlen_kuenftige_inaktiv(demo_sqlite, kommune, tmp_path):
    with sitzung(demo_sqlite, akteur=None) as s:
        vorher = {d["id"]: d for d in dienste(session=s, kommune=kommune)}
    with sitzung(demo_sqlite, akteur=SYSTEM) as s:
        alle = s.scalars(select(m.Einrichtung).order_by(m.Einrichtung.id)).all()
        zu, kuenftig, umbenannt = alle[0], alle[1], alle[2]
        zu.gueltig_bis = date.today() - timedelta(days=1)
        kuenftig.gueltig_von = date.today() + timedelta(days=30)
        umbenannt.name = umbenannt.name + " (neu)"
        schluessel = (zu.schluessel, kuenftig.schluessel, umbenannt.schluessel)
    with sitzung(demo_sqlite, akteur=None) as s:
        nachher = {d["service_at_locations"][0]["location"]["external_identifier"]: d
                   for d in dienste(session=s, kommune=kommune)}
    assert schluessel[0] not in nachher and len(nachher) == len(vorher) - 1
    assert nachher[schluessel[1]]["status"] == "inactive" and "Öffnet am" in nachher[schluessel[1]]["description"]
    d = nachher[schluessel[2]]
    assert d["id"] in vorher and d["name"].endswith("(neu)")  # Name geändert, id gleich
    assert d["last_modified"] > vorher[d["id"]].get("last_modified", "")
    pfad = tmp_path / "x.hsds.json"
    with sitzung(demo_sqlite, akteur=None) as s:
        exportiere(pfad, session=s, kommune=kommune)
    _validiere(pfad)


def test_cli_export(demo_sqlite_url, tmp_path):
    from tests.daten.test_cli import rk

    r = rk("export", str(tmp_path / "a.hsds.json"), url=demo_sqlite_url)
    assert r.returncode == 0 and "HSDS 3.0" in r.stdout, r.stderr
    r = rk("export", str(tmp_path / "fehlt" / "a.hsds.json"), url=demo_sqlite_url)
    assert r.returncode == 1 and r.stderr.startswith("Fehler:") and "existiert nicht" in r.stderr
