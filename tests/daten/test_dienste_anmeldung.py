"""Single Sign-on: Gruppen-Zuordnung aus der Einstellung, Rolle aus den Ansprüchen, Konto anlegen/nachführen."""

import pytest
from sqlalchemy import select

from daten import dienste
from daten import modelle as m
from daten.db import sitzung
from daten.dienste import anmeldung as an
from daten.dienste import konten as dk
from daten.einstellungen import lade_einstellungen
from daten.fehler import KonfigurationsFehler, RechteFehler
from daten.passwort import pruefe_passwort
from daten.politik import SYSTEM, Akteur

ZUORDNUNG = "AfJF-Admin=admin; AfJF-JHP = jugendhilfeplanung ; ASD-TL-Mombach=teamleitung:mombach; " \
            "ASD-Mombach=mitglied:Mombach; ASD-TL-Neustadt=teamleitung:Neustadt; Lenkung=lenkungsgruppe"


def test_gruppen_lesen(kommune):
    g = an.lies_gruppen(ZUORDNUNG, kommune=kommune)
    assert g["AfJF-JHP"] == an.Zielrolle("jugendhilfeplanung")
    assert g["ASD-TL-Mombach"] == an.Zielrolle("teamleitung", "Mombach")  # Schreibweise aus der Konfiguration
    assert an.lies_gruppen("") == {}


def test_verteiler_je_sozialraum_oder_stadtweit_und_schwaecher_als_mitglied(kommune):
    g = an.lies_gruppen("AL-5101=verteiler; KitaTL-Mombach=verteiler:Mombach; ASD-Mombach=mitglied:Mombach",
                        kommune=kommune)
    assert g["AL-5101"] == an.Zielrolle("verteiler")
    assert g["KitaTL-Mombach"] == an.Zielrolle("verteiler", "Mombach")
    # beide Gruppen: die weitergehende Rolle gilt (Mitglied), nicht der Verteiler
    assert an.rolle_aus_claims({"groups": ["KitaTL-Mombach", "ASD-Mombach"]}, claim="groups", gruppen=g) == \
        an.Zielrolle("mitglied", "Mombach")
    assert an.rolle_aus_claims({"groups": ["AL-5101"]}, claim="groups", gruppen=g) == an.Zielrolle("verteiler")


@pytest.mark.parametrize(("text", "meldung"), [
    ("Admins", "„Admins“ ist ungültig"),
    ("X=chef", "„X=chef“ ist ungültig"),
    ("X=teamleitung", "brauchen einen Sozialraum"),
    ("X=admin:Mombach", "brauchen einen Sozialraum"),
    ("X=mitglied:Atlantis", "Sozialraum „Atlantis“"),
])
def test_gruppen_falsch(kommune, text, meldung):
    with pytest.raises(KonfigurationsFehler, match=meldung):
        an.lies_gruppen(text, kommune=kommune)


def test_rolle_aus_ansprüchen(kommune):
    g = an.lies_gruppen(ZUORDNUNG, kommune=kommune)
    assert an.rolle_aus_claims({"groups": ["Lenkung", "ASD-Mombach"]}, claim="groups", gruppen=g) == \
        an.Zielrolle("mitglied", "Mombach")  # die weitergehende Rolle gewinnt
    assert an.rolle_aus_claims({"roles": "AfJF-Admin"}, claim="roles", gruppen=g).rolle == "admin"
    with pytest.raises(RechteFehler, match="keine Rolle"):
        an.rolle_aus_claims({"groups": ["Kantine"]}, claim="groups", gruppen=g)
    with pytest.raises(RechteFehler, match="keine Rolle"):
        an.rolle_aus_claims({}, claim="groups", gruppen=g)
    with pytest.raises(RechteFehler, match="mehreren Sozialräumen"):
        an.rolle_aus_claims({"groups": ["ASD-TL-Mombach", "ASD-TL-Neustadt"]}, claim="groups", gruppen=g)


def test_anmeldung_legt_konto_an_und_fuehrt_es_nach(welt):
    g = an.lies_gruppen(ZUORDNUNG, kommune=welt.kommune)
    claims = {"sub": "123", "email": "Anna.Weber@Mainz.de", "name": "Anna Weber", "groups": ["ASD-TL-Mombach"]}
    a = dienste.ausfuehren(welt.engine, SYSTEM, an.melde_sso_an, claims=claims, claim="groups", gruppen=g)
    assert a == Akteur("anna.weber@mainz.de", "teamleitung", welt.sozialraum["Mombach"])
    with sitzung(welt.engine, akteur=None) as s:
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == "anna.weber@mainz.de"))
        assert b.passwort_hash == dk.KEIN_PASSWORT and not pruefe_passwort("", b.passwort_hash)
        assert s.get(m.Sozialraum, welt.sozialraum["Mombach"]).teamleitung == "Anna Weber"
    # Verzeichnis ändert die Gruppe: Rolle und Sozialraum folgen bei der nächsten Anmeldung
    a = dienste.ausfuehren(welt.engine, SYSTEM, an.melde_sso_an, claims=claims | {"groups": ["ASD-TL-Neustadt"]},
                           claim="groups", gruppen=g)
    assert a.sozialraum_id == welt.sozialraum["Neustadt"]
    with sitzung(welt.engine, akteur=None) as s:
        assert s.get(m.Sozialraum, welt.sozialraum["Mombach"]).teamleitung is None
    # von der Administration gesperrt: bleibt gesperrt
    dienste.ausfuehren(welt.engine, Akteur("admin", "admin"), dk.sperre_benutzer, login="anna.weber@mainz.de")
    with pytest.raises(RechteFehler, match="gesperrt"):
        dienste.ausfuehren(welt.engine, SYSTEM, an.melde_sso_an, claims=claims, claim="groups", gruppen=g)


def test_ohne_kennung_abgelehnt():
    with pytest.raises(RechteFehler, match="keine Kennung"):
        an.login_aus_claims({"name": "x"})
    assert an.login_aus_claims({"preferred_username": "ABC", "sub": "1"}) == "abc"


def test_einstellungen_sso(monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_ANMELDUNG", "sso")
    monkeypatch.delenv("RESSOURCENKARTE_OIDC_GRUPPEN", raising=False)
    with pytest.raises(KonfigurationsFehler, match="OIDC_GRUPPEN"):
        lade_einstellungen()
    monkeypatch.setenv("RESSOURCENKARTE_OIDC_GRUPPEN", "X=admin")
    e = lade_einstellungen()
    assert (e.anmeldung, e.oidc_claim, e.frische_monate) == ("sso", "groups", 12)
    monkeypatch.setenv("RESSOURCENKARTE_ANMELDUNG", "ldap")
    with pytest.raises(KonfigurationsFehler, match="lokal, sso, beide"):
        lade_einstellungen()
    monkeypatch.setenv("RESSOURCENKARTE_ANMELDUNG", "lokal")
    monkeypatch.setenv("RESSOURCENKARTE_FRISCHE_MONATE", "0")
    with pytest.raises(KonfigurationsFehler):
        lade_einstellungen()
