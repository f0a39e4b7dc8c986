"""Die Typzuordnung der Kommune-Konfiguration: Ziele müssen existieren, kein Wort zeigt auf zwei Ziele."""

import pytest
import yaml

from daten.config import KOMMUNE_STANDARD, lade_kommune, schluesselwort
from daten.fehler import KonfigurationsFehler


def _mit(tmp_path, aendern):
    roh = yaml.safe_load(KOMMUNE_STANDARD.read_text(encoding="utf-8"))
    aendern(roh["typzuordnung"])
    pfad = tmp_path / "k.yaml"
    pfad.write_text(yaml.safe_dump(roh, allow_unicode=True), encoding="utf-8")
    return pfad


def test_mainz_ordnet_schulen_und_osm_zu(kommune):
    arten = kommune.art_fuer_wort()
    assert arten[schluesselwort("Realschule Plus")] == "weiterfuehrende_schule"
    assert arten[schluesselwort("LEISURE = Playground")] == "spielplatz"
    assert arten[schluesselwort("Kita")] == "kita"  # Bezeichnung gilt ohne Eintrag
    assert kommune.traegerart_fuer_wort()[schluesselwort("private Schule")] == "frei"


@pytest.mark.parametrize("aendern,meldung", [
    (lambda t: t["arten"].update({"schwimmbad": ["Hallenbad"]}), "unbekannte Ziele.*schwimmbad"),
    (lambda t: t["arten"]["kita"].append("Grundschule"), "'Grundschule' zeigt auf"),
    (lambda t: t["arten"]["spielplatz"].append("kita"), "zeigt auf kita und spielplatz"),
    (lambda t: t["traegerarten"].update({"kirchlich": ["Kirche"]}), "traegerarten: unbekannte Ziele"),
    (lambda t: t.update({"traegerart_standard": "privat"}), "traegerart_standard 'privat'"),
])
def test_fehler_in_der_typzuordnung(tmp_path, aendern, meldung):
    with pytest.raises(KonfigurationsFehler, match=meldung):
        lade_kommune(_mit(tmp_path, aendern))


def test_ohne_typzuordnung_gelten_schluessel_und_bezeichnungen(tmp_path):
    k = lade_kommune(_mit(tmp_path, lambda t: t.clear()))
    assert k.art_fuer_wort()[schluesselwort("Spielplatz")] == "spielplatz"
    assert k.typzuordnung.traegerart_standard is None
