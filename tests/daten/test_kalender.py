"""Einladung und Absage als iTIP (RFC 5546), gelesen mit der icalendar-Bibliothek wie ein Kalender sie liest:
REQUEST mit ORGANIZER und ATTENDEEs, SEQUENCE aus der Sitzung, VTIMEZONE mit RRULE, CANCEL mit derselben UID.
Dazu die Dienste `verlege_sitzung`/`sitzung_absagen` und die Regel, dass die SEQUENCE bei jeder Verschiebung steigt."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from befehle import main
from daten import modelle as m
from daten import werte
from daten.db import sitzung
from daten.dienste import ausfuehren, sitzungen
from daten.fehler import EingabeFehler, RechteFehler
from daten.gremium.einladung import (
    UNZUSTELLBAR,
    Einladung,
    absage_ics,
    einladung_ics,
    fehlende_adressen,
    organisator_adresse,
)
from daten.gremium.zeitzone import vtimezone
from daten.politik import SYSTEM, TEAMLEITUNG
from tests.daten._gremium import baue_welt

TL_LOGIN = "tina.teamleitung@stadt.example"


@pytest.fixture
def w(leere_db, kommune):
    welt = baue_welt(leere_db, kommune)
    with sitzung(welt.engine, akteur=SYSTEM) as s:
        s.add(m.Benutzer(login=TL_LOGIN, anzeigename="Tina Teamleitung", rolle="teamleitung", sozialraum_id=welt.sr,
                         passwort_hash="-", aktiv=True))
    yield welt
    welt.engine.dispose()


def _plane(w, datum=date(2026, 7, 15)) -> int:
    with sitzung(w.engine, akteur=w.tl) as s:
        bereich = sitzungen.protokoll_vorschlag(s, sozialraum_id=w.sr, datum=datum) or "ASD"  # Wechsel (4.1)
        return sitzungen.plane_sitzung(s, w.tl, kommune=w.kommune, sozialraum_id=w.sr, datum=datum,
                                       ort_id=w.e["asd"], protokoll_bereich=bereich, protokollfuehrung="TL",
                                       beginn="14:00", ende="16:30").id


def _einladung(w, sid) -> Einladung:
    with sitzung(w.engine, akteur=None) as s:
        return Einladung.aus_sitzung(s.get(m.Sitzung, sid), absender="rk@stadt.example")


def _lies(daten: bytes):
    cal = icalendar.Calendar.from_ical(daten)
    (ev,) = list(cal.walk("VEVENT"))
    return cal, ev


def _liste(wert):
    return wert if isinstance(wert, list) else [wert]


# --------------------------------------------------------------------------------------------- VTIMEZONE
def _zone(name: str, jahr: int = 2026):
    """Die VTIMEZONE, wie ein Kalender sie aus der Datei liest (geschrieben und wieder geparst)."""
    return icalendar.Timezone.from_ical(vtimezone(name, jahr).to_ical())


def test_vtimezone_berlin_aus_regeln_nicht_aus_einzeldaten():
    tz = _zone("Europe/Berlin")
    teile = {t.name: t for t in tz.subcomponents}
    assert set(teile) == {"STANDARD", "DAYLIGHT"} and str(tz["TZID"]) == "Europe/Berlin"
    sommer, winter = teile["DAYLIGHT"], teile["STANDARD"]
    assert dict(sommer["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert dict(winter["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert not any("RDATE" in t for t in tz.subcomponents)
    # Wanduhr im alten Abstand: Sommerzeit ab 02:00 MEZ, Winterzeit ab 03:00 MESZ (letzter Sonntag 1970: 29.3./25.10.)
    assert sommer.decoded("DTSTART") == datetime(1970, 3, 29, 2, 0)
    assert winter.decoded("DTSTART") == datetime(1970, 10, 25, 3, 0)
    assert (sommer["TZOFFSETFROM"].td, sommer["TZOFFSETTO"].td) == (timedelta(hours=1), timedelta(hours=2))
    assert (winter["TZOFFSETFROM"].td, winter["TZOFFSETTO"].td) == (timedelta(hours=2), timedelta(hours=1))
    assert (str(sommer["TZNAME"]), str(winter["TZNAME"])) == ("CEST", "CET")


def test_vtimezone_nter_sonntag_und_zone_ohne_sommerzeit():
    sydney = {t.name: t for t in _zone("Australia/Sydney").subcomponents}
    assert dict(sydney["DAYLIGHT"]["RRULE"])["BYDAY"] == ["1SU"]  # erster Sonntag im Oktober, nicht der letzte
    assert dict(sydney["STANDARD"]["RRULE"])["BYMONTH"] == [4]
    tokio = _zone("Asia/Tokyo")
    assert [t.name for t in tokio.subcomponents] == ["STANDARD"] and "RRULE" not in tokio.subcomponents[0]


def test_kalender_rechnet_mit_der_vtimezone_wie_mit_zoneinfo(w, kommune):
    """Ein Termin im Sommer und einer im Winter: die Zeitzone der Datei ergibt dieselbe UTC-Zeit wie zoneinfo."""
    for tag, utc_stunde in ((date(2026, 7, 15), 12), (date(2026, 12, 2), 13)):
        sid = _plane(w, tag)
        ev = _lies(einladung_ics(_einladung(w, sid), kommune))[1]
        start = ev.decoded("DTSTART")
        assert start.astimezone(ZoneInfo("UTC")).hour == utc_stunde and ev["DTSTART"].params["TZID"] == "Europe/Berlin"


# --------------------------------------------------------------------------------------------- REQUEST
def test_einladung_ist_terminanfrage_mit_organisator_und_teilnehmenden(w, kommune):
    sid = _plane(w)
    e = _einladung(w, sid)
    cal, ev = _lies(einladung_ics(e, kommune))
    assert str(cal["METHOD"]) == "REQUEST" and str(ev["STATUS"]) == "CONFIRMED"
    assert str(ev["ORGANIZER"]) == f"mailto:{TL_LOGIN}" and str(ev["ORGANIZER"].params["CN"]) == "Tina Teamleitung"
    teilnehmende = _liste(ev["ATTENDEE"])
    assert len(teilnehmende) == len(e.eingeladene) > 2
    assert [str(a.params["CN"]) for a in teilnehmende] == [t["name"] for t in e.eingeladene]
    for a in teilnehmende:
        assert (a.params["RSVP"], a.params["PARTSTAT"], a.params["ROLE"]) == ("TRUE", "NEEDS-ACTION", "REQ-PARTICIPANT")
        assert str(a).startswith("mailto:") and str(a).endswith("@" + UNZUSTELLBAR)  # keine Adresse konfiguriert
    assert str(ev["UID"]) == f"{e.schluessel}@ressourcenkarte" and int(ev["SEQUENCE"]) == 0
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert fehlende_adressen(e, kommune) == [t["name"] for t in e.eingeladene]


def test_teamleitung_auf_der_liste_ist_organisator_nicht_teilnehmerin(w, kommune):
    """Die Demo lädt die Teamleitung mit ein; in der Datei ist sie ORGANIZER, nicht noch einmal ATTENDEE."""
    from dataclasses import replace

    e = _einladung(w, _plane(w))
    mit = replace(e, eingeladene=[{"bereich": "ASD", "einrichtung": "t-asd", "name": " tina  TEAMLEITUNG"},
                                  *e.eingeladene])
    ev = _lies(einladung_ics(mit, kommune))[1]
    namen = [str(a.params["CN"]) for a in _liste(ev["ATTENDEE"])]
    assert namen == [t["name"] for t in e.eingeladene] and str(ev["ORGANIZER"].params["CN"]) == "Tina Teamleitung"
    assert " tina  TEAMLEITUNG" not in fehlende_adressen(mit, kommune)


def test_adressen_aus_der_konfiguration_gehen_vor(w, kommune):
    sid = _plane(w)
    e = _einladung(w, sid)
    eigene = kommune.model_copy(update={"gremium": kommune.gremium.model_copy(update={"adressen": {
        "Neustadt": "asd-neustadt@stadt.example", "t-kita": "kita@stadt.example"}})})
    ev = _lies(einladung_ics(e, eigene))[1]
    assert str(ev["ORGANIZER"]) == "mailto:asd-neustadt@stadt.example"
    adressen = {str(a.params["CN"]): str(a) for a in _liste(ev["ATTENDEE"])}
    kita = next(t["name"] for t in e.eingeladene if t["einrichtung"] == "t-kita")
    assert adressen[kita] == "mailto:kita@stadt.example"
    assert kita not in fehlende_adressen(e, eigene) and len(fehlende_adressen(e, eigene)) == len(e.eingeladene) - 1


def test_organisator_ohne_adresse_im_login_ist_der_absender(w, kommune):
    with sitzung(w.engine, akteur=SYSTEM) as s:
        for b in s.scalars(select(m.Benutzer).where(m.Benutzer.rolle == TEAMLEITUNG, m.Benutzer.sozialraum_id == w.sr)):
            b.aktiv = False  # alle bisherigen Teamleitungen des Sozialraums (auch tl01 der Testwelt)
        s.add(m.Benutzer(login="tl99", anzeigename="Theo Teamleitung", rolle="teamleitung", sozialraum_id=w.sr,
                         passwort_hash="-", aktiv=True))
    e = _einladung(w, _plane(w))
    assert (e.organisator, organisator_adresse(e, kommune)) == ("Theo Teamleitung", "rk@stadt.example")


# --------------------------------------------------------------------------------------------- SEQUENCE
def test_sequenz_steigt_bei_verschiebung_und_nur_dann(w):
    sid = _plane(w)
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.setze_status(s, w.tl, sitzung_id=sid, status="eingeladen")
        s.get(m.Sitzung, sid).teilnehmende = [{"bereich": "ASD", "einrichtung": None, "name": "X"}]
    assert _einladung(w, sid).sequenz == 0  # Status und Teilnahme sind keine Verschiebung
    ausfuehren(w.engine, w.tl, sitzungen.verlege_sitzung, sitzung_id=sid, datum=date(2026, 7, 22), beginn="14:00",
               ende="16:30", ort_id=w.e["asd"])
    assert _einladung(w, sid).sequenz == 1  # der Dienst erhöht genau einmal (die Regel nicht noch einmal)
    ausfuehren(w.engine, w.tl, sitzungen.verlege_sitzung, sitzung_id=sid, datum=date(2026, 7, 22), beginn="14:00",
               ende="16:30", ort_id=w.e["asd"])
    assert _einladung(w, sid).sequenz == 1  # nichts geändert, keine neue Fassung
    for feld, wert in (("beginn", "15:00"), ("ende", "17:00"), ("ort_id", w.e["kita"]), ("datum", date(2026, 7, 29))):
        vorher = _einladung(w, sid).sequenz
        with sitzung(w.engine, akteur=w.tl) as s:  # am Dienst vorbei: die Regel vor dem Flush zieht nach
            setattr(s.get(m.Sitzung, sid), feld, wert)
        assert _einladung(w, sid).sequenz == vorher + 1, feld
    with pytest.raises(EingabeFehler, match="SEQUENCE"), sitzung(w.engine, akteur=w.tl) as s:
        s.get(m.Sitzung, sid).sequenz = 0


def test_verlegen_nur_durch_die_teamleitung(w):
    sid = _plane(w)
    with pytest.raises(RechteFehler):
        ausfuehren(w.engine, w.mitglied, sitzungen.verlege_sitzung, sitzung_id=sid, datum=date(2026, 7, 22),
                   beginn="14:00", ende=None, ort_id=w.e["asd"])
    assert _einladung(w, sid).sequenz == 0


# --------------------------------------------------------------------------------------------- CANCEL
def test_absage_mit_derselben_uid_hoeherer_sequenz_und_grund(w, kommune):
    sid = _plane(w)
    anfrage = _lies(einladung_ics(_einladung(w, sid), kommune))[1]
    sz = ausfuehren(w.engine, w.tl, sitzungen.sitzung_absagen, sitzung_id=sid, grund="  Raum   nicht verfügbar ")
    assert (sz.status, sz.sequenz, sz.absage_grund) == (werte.SITZUNG_ABGESAGT, 1, "Raum nicht verfügbar")
    e = _einladung(w, sid)
    cal, ev = _lies(absage_ics(e, kommune))
    assert str(cal["METHOD"]) == "CANCEL" and str(ev["STATUS"]) == "CANCELLED"
    assert str(ev["UID"]) == str(anfrage["UID"]) and int(ev["SEQUENCE"]) > int(anfrage["SEQUENCE"])
    assert "Raum nicht verfügbar" in str(ev["DESCRIPTION"]) and str(ev["SUMMARY"]).startswith("Abgesagt:")
    assert len(_liste(ev["ATTENDEE"])) == len(e.eingeladene) and ev.get("ORGANIZER")
    # eine abgesagte Sitzung verlässt das Haus nie mehr als Anfrage
    assert str(icalendar.Calendar.from_ical(einladung_ics(e, kommune))["METHOD"]) == "CANCEL"


@pytest.mark.parametrize("status", ["durchgefuehrt", "protokolliert", "versendet"])
def test_absage_nur_vor_der_sitzung(w, status):
    sid = _plane(w)
    with sitzung(w.engine, akteur=SYSTEM) as s:
        sz = s.get(m.Sitzung, sid)
        sz.status, sz.versendet_von, sz.versendet_am = status, "tl01", datetime.now().astimezone()
        s.add(m.Protokollpunkt(sitzung=sz, frage=1, handlungsebene="falluebergreifend", text="Ein Punkt."))
    with pytest.raises(EingabeFehler, match="noch nicht stattgefunden"):
        ausfuehren(w.engine, w.tl, sitzungen.sitzung_absagen, sitzung_id=sid, grund=None)


def test_absage_nur_durch_die_teamleitung_des_sozialraums(w):
    sid = _plane(w)
    for akteur in (w.mitglied, w.tl_fremd, w.jhp):
        with pytest.raises(RechteFehler):
            ausfuehren(w.engine, akteur, sitzungen.sitzung_absagen, sitzung_id=sid, grund="x")
    ausfuehren(w.engine, w.tl, sitzungen.sitzung_absagen, sitzung_id=sid, grund=None)
    with pytest.raises(EingabeFehler, match="schon abgesagt"):
        ausfuehren(w.engine, w.tl, sitzungen.sitzung_absagen, sitzung_id=sid, grund=None)
    with pytest.raises(EingabeFehler, match="abgesagt"):  # auch verschieben geht nicht mehr
        ausfuehren(w.engine, w.tl, sitzungen.verlege_sitzung, sitzung_id=sid, datum=date(2026, 8, 5), beginn=None,
                   ende=None, ort_id=None)


# --------------------------------------------------------------------------------------------- CLI
def test_cli_einladung_und_absage(w, kommune, tmp_path, capsys):
    sid = _plane(w)
    url = str(w.engine.url.render_as_string(hide_password=False))
    assert main(["sitzung", "einladung", str(sid), str(tmp_path / "e.ics"), "--db", url]) == 0
    aus = capsys.readouterr().out
    assert "Fassung 0" in aus and "ohne E-Mail-Adresse" in aus and "15.07.2026" in aus
    assert main(["--db", url, "sitzung", "absage", str(sid), str(tmp_path / "a.ics"), "--grund", "Krankheit",
                 "--als", "tl_gibtsnicht"]) == 1  # unbekanntes Konto: nichts abgesagt
    assert "Konto" in capsys.readouterr().err and _einladung(w, sid).sequenz == 0
    assert main(["--db", url, "sitzung", "absage", str(sid), str(tmp_path / "a.ics"), "--grund", "Krankheit"]) == 0
    assert "abgesagt; Absage" in capsys.readouterr().out
    e_ev = _lies((tmp_path / "e.ics").read_bytes())[1]
    a_cal, a_ev = _lies((tmp_path / "a.ics").read_bytes())
    assert str(a_cal["METHOD"]) == "CANCEL" and str(a_ev["UID"]) == str(e_ev["UID"])
    assert int(a_ev["SEQUENCE"]) == int(e_ev["SEQUENCE"]) + 1 and "Krankheit" in str(a_ev["DESCRIPTION"])
    # noch einmal: nur die Datei, keine weitere Fassung; Einladung einer abgesagten Sitzung: Hinweis auf absage
    assert main(["--db", url, "sitzung", "absage", str(sid), str(tmp_path / "b.ics")]) == 0
    assert "war schon abgesagt" in capsys.readouterr().out and _einladung(w, sid).sequenz == 1
    assert main(["--db", url, "sitzung", "einladung", str(sid), str(tmp_path / "x.ics")]) == 1
    assert "sitzung absage" in capsys.readouterr().err and not (tmp_path / "x.ics").exists()


# --------------------------------------------------------------------------------------------- E-Mail
def test_email_traegt_die_methode_im_kalenderteil(w, kommune, monkeypatch, tmp_path, capsys):
    """Outlook erkennt die Terminanfrage am Teil `text/calendar; method=REQUEST`, die Absage an method=CANCEL."""
    import socket
    import time

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    angekommen = []

    class Sammler(Message):
        def handle_message(self, message):
            angekommen.append(message)

    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        port = so.getsockname()[1]
    ctl = Controller(Sammler(), hostname="127.0.0.1", port=port)
    ctl.start()
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_PORT", str(port))
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_STARTTLS", "false")
    sid = _plane(w)
    url = w.engine.url.render_as_string(hide_password=False)
    try:
        for aktion in ("einladung", "absage"):
            assert main(["--db", url, "sitzung", aktion, str(sid), str(tmp_path / f"{aktion}.ics"), "--an",
                         "a@example.org"]) == 0
        for _ in range(100):
            if len(angekommen) == 2:
                break
            time.sleep(0.1)
    finally:
        ctl.stop()
    assert "Per E-Mail an 1 Adresse(n) gesendet." in capsys.readouterr().out
    methoden = []
    for nachricht in angekommen:
        (teil,) = [t for t in nachricht.walk() if t.get_content_type() == "text/calendar"]
        cal = icalendar.Calendar.from_ical(teil.get_payload(decode=True))
        assert teil.get_param("method") == str(cal["METHOD"])
        anhang = [t for t in nachricht.walk() if t.get_filename()]
        assert len(anhang) == 1 and anhang[0].get_filename().endswith(".ics")
        methoden.append(str(cal["METHOD"]))
    assert methoden == ["REQUEST", "CANCEL"] and angekommen[1]["Subject"].startswith("Abgesagt:")


def test_namen_mit_sonderzeichen_bleiben_klartext(w, kommune):
    """Anführungszeichen, Semikolon, Doppelpunkt, Zeilenumbruch im Namen: ein Parameter, nichts bricht aus."""
    from dataclasses import replace

    boese = 'Kita "Sonne;nschein", Mainz: Süd\nATTENDEE:mailto:x@evil.example'
    e = replace(_einladung(w, _plane(w)), organisator="TL: " + boese,
                eingeladene=[{"bereich": "Kita", "einrichtung": "t-kita", "name": boese}])
    ev = _lies(einladung_ics(e, kommune))[1]
    (a,) = _liste(ev["ATTENDEE"])
    assert str(a.params["CN"]) == boese and str(ev["ORGANIZER"].params["CN"]) == "TL: " + boese
    assert "evil.example" not in str(a) and str(a) == f"mailto:t-kita@{UNZUSTELLBAR}"
