"""Einladung (.ics, E-Mail, SMTP gegen einen lokalen Testserver) und Ergebnisprotokoll (DOCX/PDF) der Demo."""

import socket
import time
from datetime import date

import docx
import icalendar
import pytest
from sqlalchemy import func, select

from befehle import main
from berichte.protokoll import protokoll_dokument, schreibe_protokoll
from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.demo import demo_jahre
from daten.einstellungen import lade_einstellungen
from daten.fehler import KonfigurationsFehler, RechteFehler
from daten.gremium.einladung import Einladung, einladung_ics, email_text, sende_einladung
from daten.politik import SYSTEM, Akteur


@pytest.fixture(scope="module")
def demo(demo_sqlite_url):
    engine = erstelle_engine(demo_sqlite_url)
    with sitzung(engine, akteur=None) as s:
        sid = s.scalar(select(m.Protokollpunkt.sitzung_id).group_by(m.Protokollpunkt.sitzung_id)
                       .order_by(func.count().desc()).limit(1))
        e = Einladung.aus_sitzung(s.get(m.Sitzung, sid))
        sr = s.get(m.Sitzung, sid).sozialraum_id
    yield engine, sid, e, sr
    engine.dispose()


def test_ics_ein_ereignis_mit_uid_zeitzone_und_ort(demo, kommune):
    _, _, e, _ = demo
    cal = icalendar.Calendar.from_ical(einladung_ics(e, kommune))
    ereignisse = list(cal.walk("VEVENT"))
    assert len(ereignisse) == 1
    ev = ereignisse[0]
    assert str(ev["UID"]) == f"{e.schluessel}@ressourcenkarte"
    start = ev.decoded("DTSTART")
    assert start.date() == e.datum and str(start.tzinfo) == "Europe/Berlin" and ev.decoded("DTEND") > start
    assert ev["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert e.ort_adresse and e.ort_adresse in str(ev["LOCATION"])
    assert "Welche Ressourcen fehlen" in str(ev["DESCRIPTION"])


def test_email_text_nennt_termin_ort_und_fragen(demo, kommune):
    _, _, e, _ = demo
    betreff, text = email_text(e, kommune)
    assert f"{e.datum:%d.%m.%Y}" in betreff and e.ort in text and "14:00" in text
    assert "8. Welche Netzwerke sollten" in text


def test_smtp_versand_an_lokalen_testserver(demo, kommune, monkeypatch):
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
    try:
        monkeypatch.setenv("RESSOURCENKARTE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("RESSOURCENKARTE_SMTP_PORT", str(port))
        monkeypatch.setenv("RESSOURCENKARTE_SMTP_STARTTLS", "false")
        _, _, e, _ = demo
        sende_einladung(e, kommune, lade_einstellungen(), ["kita@example.org", "asd@example.org"])
        for _ in range(50):
            if angekommen:
                break
            time.sleep(0.1)
    finally:
        ctl.stop()
    assert len(angekommen) == 1
    nachricht = angekommen[0]
    assert nachricht["To"] == "kita@example.org, asd@example.org" and "Sozialraumgremium" in nachricht["Subject"]
    anhang = [t for t in nachricht.walk() if t.get_content_type() == "text/calendar"]
    assert anhang and b"BEGIN:VEVENT" in anhang[0].get_payload(decode=True)


def test_ohne_smtp_kein_versand(demo, kommune, monkeypatch):
    monkeypatch.delenv("RESSOURCENKARTE_SMTP_HOST", raising=False)
    with pytest.raises(KonfigurationsFehler, match="herunterladen"):
        sende_einladung(demo[2], kommune, lade_einstellungen(), ["a@example.org"])


def test_protokoll_docx_und_pdf_mit_fragen_ebenen_verteiler(demo, kommune, tmp_path):
    engine, sid, _, _ = demo
    with sitzung(engine, akteur=None) as s:
        schreibe_protokoll(s, kommune, sid, tmp_path / "p.docx", akteur=SYSTEM)
        schreibe_protokoll(s, kommune, sid, tmp_path / "p.pdf", akteur=SYSTEM)
    d = docx.Document(str(tmp_path / "p.docx"))
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c.text for t in d.tables for r in t.rows for c in r.cells)
    for frage in kommune.fragen:
        assert frage in text
    for ebene in kommune.handlungsebenen.values():
        assert ebene in text
    for eintrag in kommune.verteiler.protokoll[1:]:
        assert eintrag in text
    assert "Protokollführung" in text and (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")


def test_protokoll_nur_fuer_den_verteiler(demo, kommune):
    engine, sid, _, sr = demo
    with sitzung(engine, akteur=None) as s:
        protokoll_dokument(s, kommune, sid, akteur=Akteur("m", "mitglied", sr))
        with pytest.raises(RechteFehler):
            protokoll_dokument(s, kommune, sid, akteur=Akteur("m", "mitglied", sr % 10 + 1))
        with pytest.raises(RechteFehler):
            protokoll_dokument(s, kommune, sid, akteur=Akteur("lg", "lenkungsgruppe"))


def test_cli_sitzung_und_budget(demo, demo_sqlite_url, tmp_path, capsys):
    _, sid, e, _ = demo
    assert main(["--db", demo_sqlite_url, "sitzung", "einladung", str(sid), str(tmp_path / "e.ics")]) == 0
    assert icalendar.Calendar.from_ical((tmp_path / "e.ics").read_bytes())
    assert main(["--db", demo_sqlite_url, "sitzung", "protokoll", str(sid), str(tmp_path / "p.pdf")]) == 0
    assert main(["--db", demo_sqlite_url, "sitzung", "protokoll", "99999", str(tmp_path / "x.pdf")]) == 1
    assert "Sitzung 99999 gibt es nicht" in capsys.readouterr().err
    assert main(["--db", demo_sqlite_url, "sitzung", "einladung", str(sid), str(tmp_path / "e.txt")]) == 1
    capsys.readouterr()
    j = demo_jahre()  # die Demo-Datenbank ist mit dem Stichtag heute geladen
    for jahr in (j.laufend, j.naechstes):  # Budget auch für das nächste Jahr (dort sind Sitzungen geplant)
        assert main(["--db", demo_sqlite_url, "budget", "--jahr", str(jahr), "--sozialraum", e.sozialraum]) == 0
        aus = capsys.readouterr().out
        assert "Fallübergreifende Maßnahmen" in aus and "Fortbildung" in aus and "€" in aus
        assert "noch kein Budget" not in aus
    ohne = j.budgets[0] - 1  # davor hat niemand ein Budget eingetragen: kein „0 €“
    assert main(["--db", demo_sqlite_url, "budget", "--jahr", str(ohne), "--sozialraum", e.sozialraum]) == 0
    aus = capsys.readouterr().out
    assert aus.startswith(f"Für {ohne} ist noch kein Budget eingetragen. Budgets trägt die Jugendhilfeplanung")
    assert aus.count("noch kein Budget eingetragen") == 4 and "0,00 €" not in aus  # Kopf + drei Arten
    assert main(["--db", demo_sqlite_url, "sitzungen", "--stichtag", j.stichtag.isoformat()]) == 0
    aus = capsys.readouterr().out
    assert aus.count("in Ordnung") == 10
    # die Termine im nächsten Jahr sind nur geplant: gehalten ist dort nichts, im Herbst ist jedes Gremium überfällig
    assert main(["--db", demo_sqlite_url, "sitzungen", "--ueberfaellig", "--stichtag",
                 date(j.naechstes, 9, 1).isoformat()]) == 0
    assert "überfällig: im laufenden Halbjahr" in capsys.readouterr().out
    assert main(["--db", demo_sqlite_url, "sitzungen", "--sozialraum", "Atlantis"]) == 1
