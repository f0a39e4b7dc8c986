"""Empfehlungen zum Jahresbericht: nur Jugendhilfeplanung/Administration, protokolliert, Versionskonflikt –
auf SQLite und PostGIS."""

import pytest
from sqlalchemy import select

from daten import modelle as m
from daten.berichtsdaten import empfehlungen
from daten.db import erstelle_engine, sitzung
from daten.dienste.empfehlungen import speichere_empfehlung
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler
from daten.laden import initialisiere
from daten.politik import Akteur

JHP = Akteur("jhp", "jugendhilfeplanung")


@pytest.fixture
def engine(leere_db, kommune):
    e = erstelle_engine(leere_db)
    initialisiere(e, kommune)
    yield e
    e.dispose()


def test_jugendhilfeplanung_schreibt_und_aendert_mit_protokoll(engine):
    with sitzung(engine, akteur=JHP) as s:
        e = speichere_empfehlung(s, JHP, sozialraum="Mombach", jahr=2025, text="Krippenplätze ausbauen")
        version = e.version
    with sitzung(engine, akteur=JHP) as s:
        speichere_empfehlung(s, JHP, sozialraum="Mombach", jahr=2025, text="Krippenplätze ausbauen\nTreff",
                             status="abgestimmt", version=version)
        speichere_empfehlung(s, JHP, sozialraum=None, jahr=2025, text="Stadtweit: Frühe Hilfen stärken")
    with sitzung(engine, akteur=None) as s:
        df = empfehlungen(session=s).set_index("sozialraum")
        assert df.loc["Mombach", "text"] == "Krippenplätze ausbauen\nTreff"
        assert df.loc["Mombach", "status"] == "abgestimmt" and df.loc["", "jahr"] == 2025
        audit = s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "empfehlung")
                          .order_by(m.Aenderung.id)).all()
        assert [a.aktion for a in audit] == ["anlegen", "aendern", "anlegen"]
        assert audit[1].vorher["text"] == "Krippenplätze ausbauen" and audit[1].benutzer == "jhp"


@pytest.mark.parametrize("rolle", ["teamleitung", "mitglied", "lenkungsgruppe"])
def test_andere_rollen_duerfen_nicht(engine, rolle):
    with sitzung(engine, akteur=None) as s:
        sr_id = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Mombach"))
    akteur = Akteur("x", rolle, sr_id)
    with pytest.raises(RechteFehler), sitzung(engine, akteur=akteur) as s:
        speichere_empfehlung(s, akteur, sozialraum="Mombach", jahr=2025, text="eigenmächtig")
    # auch am Dienst vorbei lehnt die Datenschicht ab
    with pytest.raises(RechteFehler), sitzung(engine, akteur=akteur) as s:
        s.add(m.Empfehlung(sozialraum_id=sr_id, jahr=2025, text="direkt"))
    with sitzung(engine, akteur=None) as s:
        assert s.scalar(select(m.Empfehlung)) is None


def test_konflikt_und_falsche_eingaben(engine):
    with sitzung(engine, akteur=JHP) as s:
        speichere_empfehlung(s, JHP, sozialraum="Mombach", jahr=2025, text="eins")
    with pytest.raises(KonfliktFehler), sitzung(engine, akteur=JHP) as s:
        speichere_empfehlung(s, JHP, sozialraum="Mombach", jahr=2025, text="veraltet", version=99)
    with pytest.raises(EingabeFehler, match="Atlantis"), sitzung(engine, akteur=JHP) as s:
        speichere_empfehlung(s, JHP, sozialraum="Atlantis", jahr=2025, text="x")
    with pytest.raises(EingabeFehler, match="Status"), sitzung(engine, akteur=JHP) as s:
        speichere_empfehlung(s, JHP, sozialraum="Mombach", jahr=2025, text="x", status="fertig")
    with sitzung(engine, akteur=None) as s:
        assert s.scalar(select(m.Empfehlung.text)) == "eins"
