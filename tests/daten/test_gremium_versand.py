"""Versand des Ergebnisprotokolls (R8) per SMTP an einen lokalen aiosmtpd-Server, auf SQLite und PostGIS:
PDF im Anhang, Adressen aus der Konfiguration und eingetragen, Versand mit Person und Zeit vermerkt."""

import re
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from berichte.protokoll import sende_protokoll
from daten import modelle as m
from daten.db import sitzung
from daten.dienste import sitzungen
from daten.einstellungen import lade_einstellungen
from daten.fehler import EingabeFehler, KonfigurationsFehler, RechteFehler
from daten.gremium.versand import protokoll_adressen
from tests.daten._gremium import baue_welt, gehaltene_sitzung, punkt


def freier_port() -> int:
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


@contextmanager
def smtp_server():
    """Ein lokaler SMTP-Server (aiosmtpd) auf einem freien Port; liefert (Port, Liste der Nachrichten)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    angekommen = []

    class Sammler(Message):
        def handle_message(self, message):
            angekommen.append(message)

    port = freier_port()
    ctl = Controller(Sammler(), hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield port, angekommen
    finally:
        ctl.stop()


def warte(angekommen: list, anzahl: int = 1) -> None:
    for _ in range(50):
        if len(angekommen) >= anzahl:
            return
        time.sleep(0.1)


def smtp_umgebung(monkeypatch, port: int) -> None:
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_PORT", str(port))
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_STARTTLS", "false")
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_ABSENDER", "gremium@example.org")


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) fehlt")
    (tmp_path / "p.pdf").write_bytes(pdf)
    roh = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True).stdout
    # Silbentrennung am Zeilenende (weiches „-“) und Zeilenumbrüche wieder zusammenfügen
    return " ".join(re.sub(r"(\w)[-\u00ad]\n(\w)", r"\1\2", roh).split())


@pytest.fixture
def w(leere_db, kommune):
    welt = baue_welt(leere_db, kommune)
    yield welt
    welt.engine.dispose()


@pytest.fixture
def protokolliert(w):
    """Eine gehaltene Sitzung mit einem Punkt, von der Protokollführung (mitglied01) abgeschlossen."""
    sid = gehaltene_sitzung(w)
    punkt(w, sid)
    with sitzung(w.engine, akteur=w.mitglied) as s:
        sitzungen.setze_status(s, w.mitglied, sitzung_id=sid, status="protokolliert")
    return sid


def _mit_adressen(kommune):
    adressen = {"Abteilungsleitung 51.01": ["al5101@example.org"],
                "Jugendhilfeplanung": ["jhp@example.org", "al5101@example.org"]}
    return kommune.model_copy(update={"verteiler": kommune.verteiler.model_copy(update={"adressen": adressen})})


def _status(w, sid):
    with sitzung(w.engine, akteur=None) as s:
        sz = s.get(m.Sitzung, sid)
        return sz.status, sz.versendet_von, sz.versendet_am


def test_protokoll_als_pdf_an_den_verteiler_und_versand_vermerkt(w, protokolliert, monkeypatch, tmp_path):
    kommune = _mit_adressen(w.kommune)
    assert protokoll_adressen(kommune) == ["al5101@example.org", "jhp@example.org"]  # Reihenfolge, ohne Dubletten
    with smtp_server() as (port, angekommen):
        smtp_umgebung(monkeypatch, port)
        with sitzung(w.engine, akteur=w.mitglied) as s:
            sende_protokoll(s, w.mitglied, kommune, lade_einstellungen(), protokolliert,
                            [*protokoll_adressen(kommune), "", " kita@example.org ", "jhp@example.org"])
        warte(angekommen)
    assert len(angekommen) == 1
    n = angekommen[0]
    assert n["To"] == "al5101@example.org, jhp@example.org, kita@example.org" and n["From"] == "gremium@example.org"
    assert "Ergebnisprotokoll Sozialraumgremium Neustadt" in n["Subject"] and "11.03.2026" in n["Subject"]
    text = next(t for t in n.walk() if t.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Jugendhilfeplanung" in text and "Abteilungsleitung 51.01" in text  # Verteiler im Text
    # 3.2.3: die Empfänger machen das Protokoll ihren Teams zugänglich – kein „nicht weiterleiten“; Datenschutzhinweis
    einzeilig = " ".join(text.split())
    assert "Ihrem Team" in einzeilig and "zur Verfügung" in einzeilig and "weiterleiten" not in einzeilig
    assert "vertraulich" not in einzeilig and "keine personenbezogenen Falldaten" in einzeilig
    pdf = next(t for t in n.walk() if t.get_content_type() == "application/pdf")
    assert pdf.get_filename() == "protokoll-2026-03-11.pdf"
    inhalt = pdf_text(pdf.get_payload(decode=True), tmp_path)
    # Name statt Login der versendenden Person (das Konto mitglied01 heißt „Mitglied Neustadt“)
    assert "Sprachförderung vor der Einschulung" in inhalt and "Versendet am" in inhalt
    assert "Mitglied Neustadt" in inhalt
    status, von, am = _status(w, protokolliert)
    assert (status, von) == ("versendet", "mitglied01") and am is not None
    with sitzung(w.engine, akteur=None) as s:  # im Änderungsprotokoll: wer, was
        zeilen = list(s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "sitzung",
                                                          m.Aenderung.datensatz_id == protokolliert)))
    assert any(z.benutzer == "mitglied01" and (z.nachher or {}).get("versendet_von") == "mitglied01" for z in zeilen)


def test_ohne_recht_oder_bei_fehlern_wird_nichts_gesendet_und_nichts_vermerkt(w, protokolliert, monkeypatch):
    kommune = w.kommune
    with smtp_server() as (port, angekommen):
        smtp_umgebung(monkeypatch, port)
        for fremd in (w.mitglied_fremd, w.tl_fremd):  # nicht auf dem Verteiler, nicht Protokollführung
            with pytest.raises(RechteFehler), sitzung(w.engine, akteur=fremd) as s:
                sende_protokoll(s, fremd, kommune, lade_einstellungen(), protokolliert, ["a@example.org"])
        with pytest.raises(EingabeFehler, match="ungültig: kein-at"), sitzung(w.engine, akteur=w.mitglied) as s:
            sende_protokoll(s, w.mitglied, kommune, lade_einstellungen(), protokolliert, ["kein-at", "a@example.org"])
        with pytest.raises(EingabeFehler, match="Empfänger"), sitzung(w.engine, akteur=w.mitglied) as s:
            sende_protokoll(s, w.mitglied, kommune, lade_einstellungen(), protokolliert, ["", "  "])
        time.sleep(0.3)
    assert angekommen == [] and _status(w, protokolliert)[:2] == ("protokolliert", None)
    # Server nicht erreichbar: deutsche Meldung, Versand nicht vermerkt (Transaktion zurückgerollt)
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_PORT", str(freier_port()))
    with pytest.raises(KonfigurationsFehler, match="fehlgeschlagen"), sitzung(w.engine, akteur=w.mitglied) as s:
        sende_protokoll(s, w.mitglied, kommune, lade_einstellungen(), protokolliert, ["a@example.org"])
    assert _status(w, protokolliert)[:2] == ("protokolliert", None)
    monkeypatch.delenv("RESSOURCENKARTE_SMTP_HOST")
    with pytest.raises(KonfigurationsFehler, match="herunterladen"), sitzung(w.engine, akteur=w.mitglied) as s:
        sende_protokoll(s, w.mitglied, kommune, lade_einstellungen(), protokolliert, ["a@example.org"])


def test_vor_dem_abschluss_kein_versand_durch_die_protokollfuehrung(w, monkeypatch):
    sid = gehaltene_sitzung(w)
    punkt(w, sid)
    with smtp_server() as (port, angekommen):
        smtp_umgebung(monkeypatch, port)
        with pytest.raises(RechteFehler, match="protokolliert"), sitzung(w.engine, akteur=w.mitglied) as s:
            sende_protokoll(s, w.mitglied, w.kommune, lade_einstellungen(), sid, ["a@example.org"])
        time.sleep(0.3)
    assert angekommen == [] and _status(w, sid)[0] == "durchgefuehrt"


def test_adressen_der_konfiguration_werden_geprueft(kommune):
    from pydantic import ValidationError

    daten = kommune.verteiler.model_dump()
    with pytest.raises(ValidationError, match="keine E-Mail-Adresse"):
        type(kommune.verteiler).model_validate(daten | {"adressen": {"Jugendhilfeplanung": ["jhp at example.org"]}})
    with pytest.raises(ValidationError, match="in keinem Verteiler"):
        type(kommune.verteiler).model_validate(daten | {"adressen": {"Bürgermeister": ["bm@example.org"]}})


def test_kommandozeile_sendet_das_protokoll_und_vermerkt_das_konto(demo_sqlite_url, tmp_path, monkeypatch, capsys):
    from befehle import main
    from daten.db import erstelle_engine

    url = f"sqlite:///{tmp_path / 'rk.db'}"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), tmp_path / "rk.db")
    engine = erstelle_engine(url)
    with sitzung(engine, akteur=None) as s:
        sz = s.scalar(select(m.Sitzung).where(m.Sitzung.status == "protokolliert").order_by(m.Sitzung.id))
        sid, login = sz.id, f"tl{sz.sozialraum_id:02d}"
    monkeypatch.delenv("RESSOURCENKARTE_SMTP_HOST", raising=False)
    befehl = ["--db", url, "sitzung", "protokoll", str(sid), str(tmp_path / "p.pdf"), "--senden", "a@example.org"]
    assert main(befehl) == 1
    assert "Fehler: Kein SMTP-Server" in capsys.readouterr().err
    with smtp_server() as (port, angekommen):
        smtp_umgebung(monkeypatch, port)
        assert main([*befehl, "--als", login]) == 0
        warte(angekommen)
    assert "an 1 Adresse(n) gesendet" in capsys.readouterr().out
    assert len(angekommen) == 1 and angekommen[0]["To"] == "a@example.org"
    with sitzung(engine, akteur=None) as s:
        sz = s.get(m.Sitzung, sid)
        assert sz.status == "versendet" and sz.versendet_von == login
    engine.dispose()
