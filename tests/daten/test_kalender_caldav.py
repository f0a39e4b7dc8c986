"""Einladung und Absage gegen einen echten CalDAV-Server (Radicale von PyPI, auf 127.0.0.1): gespeichert wie ein
Kalender sie ablegt (RFC 4791: ohne METHOD), zurückgelesen mit derselben UID und SEQUENCE; die Absage ersetzt den
Termin unter derselben UID und steht danach als STATUS:CANCELLED im Kalender."""

import socket
import subprocess
import sys
import time
from datetime import date

import icalendar
import pytest
import requests

from daten import modelle as m
from daten.db import sitzung
from daten.dienste import ausfuehren, sitzungen
from daten.gremium.einladung import Einladung, absage_ics, einladung_ics
from tests.daten._gremium import baue_welt


def _freier_port() -> int:
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


@pytest.fixture(scope="module")
def caldav(tmp_path_factory):
    """Radicale ohne Anmeldung auf einem freien Port; liefert die URL eines neuen Kalenders."""
    ordner = tmp_path_factory.mktemp("radicale")
    konfig = ordner / "config"
    konfig.write_text(f"[auth]\ntype = none\n[rights]\ntype = authenticated\n[storage]\n"
                      f"filesystem_folder = {ordner / 'cal'}\n[logging]\nlevel = warning\n", encoding="utf-8")
    port = _freier_port()
    prozess = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(konfig),
                                "--server-hosts", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    basis = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # warten, bis der Server antwortet (kein Zeitlimit als Prüfung: nur Bereitschaft)
            try:
                requests.get(basis + "/", timeout=2)
                break
            except requests.ConnectionError:
                if prozess.poll() is not None:
                    pytest.fail(f"Radicale startet nicht: {prozess.stderr.read().decode(errors='replace')[-500:]}")
                time.sleep(0.1)
        assert requests.request("MKCOL", f"{basis}/rk/", timeout=10).status_code in (201, 405)
        antwort = requests.request("MKCALENDAR", f"{basis}/rk/sitzungen/", timeout=10)
        assert antwort.status_code == 201, antwort.text
        yield f"{basis}/rk/sitzungen/"
    finally:
        prozess.terminate()
        prozess.wait(timeout=10)


@pytest.fixture
def welt(tmp_path, kommune):
    w = baue_welt(f"sqlite:///{tmp_path / 'k.db'}", kommune)
    yield w
    w.engine.dispose()


def _ohne_methode(ics: bytes) -> bytes:
    """Wie ein Kalender die Nachricht ablegt: gespeicherte Objekte tragen kein METHOD (RFC 4791, 4.1)."""
    return b"".join(z for z in ics.splitlines(True) if not z.upper().startswith(b"METHOD:"))


def _ereignis(url: str):
    antwort = requests.get(url, timeout=10)
    assert antwort.status_code == 200, antwort.text
    (ev,) = list(icalendar.Calendar.from_ical(antwort.content).walk("VEVENT"))
    return ev


def test_einladung_und_absage_im_caldav_server(caldav, welt, kommune):
    w = welt
    with sitzung(w.engine, akteur=w.tl) as s:
        sid = sitzungen.plane_sitzung(s, w.tl, kommune=kommune, sozialraum_id=w.sr, datum=date(2026, 9, 16),
                                      ort_id=w.e["asd"], protokoll_bereich="ASD", protokollfuehrung="TL (ASD)").id
    ausfuehren(w.engine, w.tl, sitzungen.verlege_sitzung, sitzung_id=sid, datum=date(2026, 9, 23), beginn="15:00",
               ende=None, ort_id=w.e["kita"])

    def einladung() -> Einladung:
        with sitzung(w.engine, akteur=None) as s:
            return Einladung.aus_sitzung(s.get(m.Sitzung, sid))

    anfrage = einladung_ics(einladung(), kommune)
    ziel = caldav + "sitzung.ics"
    antwort = requests.put(ziel, data=_ohne_methode(anfrage), headers={"Content-Type": "text/calendar"}, timeout=10)
    assert antwort.status_code in (201, 204), antwort.text
    ev = _ereignis(ziel)
    (gesendet,) = list(icalendar.Calendar.from_ical(anfrage).walk("VEVENT"))
    assert str(ev["UID"]) == str(gesendet["UID"]) and int(ev["SEQUENCE"]) == int(gesendet["SEQUENCE"]) == 1
    assert ev.decoded("DTSTART") == gesendet.decoded("DTSTART") and ev.decoded("DTSTART").hour == 15
    assert len(ev["ATTENDEE"]) == len(gesendet["ATTENDEE"]) and str(ev["ORGANIZER"]) == str(gesendet["ORGANIZER"])

    ausfuehren(w.engine, w.tl, sitzungen.sitzung_absagen, sitzung_id=sid, grund="Ort nicht verfügbar")
    absage = absage_ics(einladung(), kommune)
    antwort = requests.put(ziel, data=_ohne_methode(absage), headers={"Content-Type": "text/calendar"}, timeout=10)
    assert antwort.status_code in (201, 204), antwort.text
    ev = _ereignis(ziel)
    assert str(ev["STATUS"]) == "CANCELLED" and str(ev["UID"]) == str(gesendet["UID"])
    assert int(ev["SEQUENCE"]) == 2
    # im Kalender bleibt genau ein Termin (dieselbe UID ersetzt, nicht verdoppelt)
    liste = requests.request("PROPFIND", caldav, headers={"Depth": "1"}, timeout=10)
    assert liste.text.count("sitzung.ics") == 1
