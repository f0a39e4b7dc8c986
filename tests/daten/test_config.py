from pathlib import Path

import pytest
import yaml

from daten.config import KOMMUNE_STANDARD, lade_kommune
from daten.fehler import KonfigurationsFehler


def test_mainz_hat_zehn_sozialraeume_und_fuenfzehn_stadtteile(kommune):
    assert len(kommune.sozialraeume) == 10
    assert len(kommune.stadtteile) == 15
    assert next(sr.name for sr in kommune.sozialraeume if "Lerchenberg" in sr.stadtteile) == \
        "Drais, Lerchenberg, Marienborn"
    assert any("Layenhof" in sr.name for sr in kommune.sozialraeume)


def test_regeln_der_konzeption_sind_konfiguriert(kommune):
    assert len(kommune.fragen) == 8
    assert set(kommune.handlungsebenen) == {"fallspezifisch", "falluebergreifend", "fallunspezifisch"}
    assert {b.schluessel: b.deckel_eur for b in kommune.budgetkategorien}["fortbildung_supervision"] == 1500
    assert kommune.beschlussvorlagen == ["1470/2012", "0974/2015"]
    assert "Jugendhilfeplanung" in kommune.verteiler.protokoll
    assert "Jugendhilfeausschuss" in kommune.verteiler.bericht
    # R2: freie Kitas erst ab Stufe 3, städtische ab Stufe 1; Mehrgenerationenhäuser ab Stufe 2
    assert kommune.art("kita").stufe_fuer("frei") == 3
    assert kommune.art("kita").stufe_fuer("staedtisch") == 1
    assert kommune.art("mehrgenerationenhaus").stufe_fuer("frei") == 2


def _schreibe(tmp_path: Path, aendern) -> Path:
    roh = yaml.safe_load(KOMMUNE_STANDARD.read_text(encoding="utf-8"))
    aendern(roh)
    pfad = tmp_path / "kommune.yaml"
    pfad.write_text(yaml.safe_dump(roh, allow_unicode=True), encoding="utf-8")
    return pfad


def test_stadtteil_in_zwei_sozialraeumen_wird_abgelehnt(tmp_path):
    def doppelt(roh):
        roh["sozialraeume"][1]["stadtteile"].append("Neustadt")

    with pytest.raises(KonfigurationsFehler, match="Neustadt"):
        lade_kommune(_schreibe(tmp_path, doppelt))


def test_falsche_farbe_nennt_das_feld(tmp_path):
    def farbe(roh):
        roh["einrichtungsarten"][0]["farbe"] = "rot"

    with pytest.raises(KonfigurationsFehler, match=r"einrichtungsarten\.0\.farbe"):
        lade_kommune(_schreibe(tmp_path, farbe))


def test_fehlende_und_kaputte_datei(tmp_path):
    with pytest.raises(KonfigurationsFehler, match="nicht gefunden"):
        lade_kommune(tmp_path / "gibtsnicht.yaml")
    kaputt = tmp_path / "kaputt.yaml"
    kaputt.write_text("name: [unvollständig", encoding="utf-8")
    with pytest.raises(KonfigurationsFehler, match="kein gültiges YAML"):
        lade_kommune(kaputt)


def test_andere_stadt_ist_nur_eine_andere_datei(tmp_path):
    def andere(roh):
        roh["name"] = "Musterstadt"
        roh["sozialraeume"] = [{"name": "Nord", "stadtteile": ["A", "B"]}, {"name": "Süd", "stadtteile": ["C"]}]
        roh["stadtteil_nummern"] = {"A": "101", "C": "300"}  # nicht jeder Stadtteil muss eine haben

    k = lade_kommune(_schreibe(tmp_path, andere))
    assert k.name == "Musterstadt" and k.stadtteile == ["A", "B", "C"]
    assert k.stadtteil_nummern == {"A": "101", "C": "300"}


def test_amtliche_stadtteilnummern(tmp_path, kommune):
    # Mainz: alle 15 Ortsbezirke mit zweistelliger Nummer, jede einmal
    assert set(kommune.stadtteil_nummern) == set(kommune.stadtteile)
    assert sorted(kommune.stadtteil_nummern.values()) == [f"{i:02d}" for i in range(1, 16)]

    def fremd(roh):
        roh["stadtteil_nummern"] = {**roh["stadtteil_nummern"], "Atlantis": "99"}

    with pytest.raises(KonfigurationsFehler, match="Atlantis"):
        lade_kommune(_schreibe(tmp_path, fremd))

    def doppelt(roh):
        roh["stadtteil_nummern"] = {**roh["stadtteil_nummern"], "Drais": "01"}

    with pytest.raises(KonfigurationsFehler, match="nur einmal"):
        lade_kommune(_schreibe(tmp_path, doppelt))


def test_metrisches_kbs_und_toleranz_stehen_in_der_konfiguration(tmp_path):
    def ohne_kbs(roh):
        del roh["crs_metrisch"]

    with pytest.raises(KonfigurationsFehler, match="crs_metrisch"):  # keine stille Annahme „Mainz“
        lade_kommune(_schreibe(tmp_path, ohne_kbs))

    def negativ(roh):
        roh["stadtteil_toleranz_m"] = -1

    with pytest.raises(KonfigurationsFehler, match="stadtteil_toleranz_m"):
        lade_kommune(_schreibe(tmp_path, negativ))

    def utm33(roh):
        roh.update(name="Görlitz", crs_metrisch=25833, stadtteil_toleranz_m=50)

    k = lade_kommune(_schreibe(tmp_path, utm33))
    assert (k.crs_metrisch, k.stadtteil_toleranz_m) == (25833, 50)
