"""AppTest der Seiten „Sitzungen“ und „Protokoll“: Rhythmus, Planen nur durch die Teamleitung, Datenschutzprüfung."""

from datetime import date, timedelta

import pytest
import streamlit as st
from sqlalchemy import func, select

import karte  # noqa: F401  (vor dem Start einer Seite laden: im Ordner seiten/ gibt es auch karte.py)
from daten import modelle as m
from daten.db import sitzung
from daten.politik import Akteur
from seiten.gemeinsam import md
from tests.seiten.hilfen import demo_kopie, ohne_fehler, seite


@pytest.fixture
def kopie(monkeypatch, demo_sqlite_url, tmp_path):
    """Eigene Kopie der Demo-Datenbank (die Tests schreiben) und die id von Neustadt."""
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        with sitzung(engine, akteur=None) as s:
            neustadt = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Neustadt"))
        yield engine, neustadt


def test_sitzungen_zeigt_rhythmus_aller_gremien_und_teilnahme(app_env):
    at = seite("seiten/sitzungen.py").run()
    ohne_fehler(at)
    rhythmus = at.dataframe[0].value
    assert len(rhythmus) == 10 and set(rhythmus["überfällig"]) <= {"ja", "nein"}
    assert not any(e.label.startswith("Sitzung planen") for e in at.expander)  # ohne Anmeldung kein Planen
    assert any("Teilnahmeprüfung" in s.value for s in at.subheader)
    knopf = next(b for b in at.get("download_button") if ".ics" in b.proto.label)
    assert knopf.proto.label == "Einladung als Kalenderdatei (.ics)"


def test_teamleitung_plant_eine_sitzung_mit_vorschlaegen(kopie):
    engine, neustadt = kopie
    at = seite("seiten/sitzungen.py", Akteur("tl01", "teamleitung", neustadt)).run()
    ohne_fehler(at)
    assert any(e.label.startswith("Sitzung planen") for e in at.expander)
    assert any("Vorschlag im Wechsel" in c.value for c in at.caption)
    tag = date.today() + timedelta(days=30)
    while tag.weekday() != 2:
        tag += timedelta(days=1)
    at.date_input[0].set_value(tag).run()
    next(t for t in at.text_input if t.label == "Name der Protokollführung").input("Kita-Leitung")
    next(b for b in at.button if b.label == "Sitzung planen").click().run()
    ohne_fehler(at)
    assert any(s.value == "Sitzung geplant." for s in at.success)
    with sitzung(engine, akteur=None) as s:
        neu = s.scalar(select(m.Sitzung).where(m.Sitzung.datum == tag, m.Sitzung.sozialraum_id == neustadt))
        assert neu.status == "geplant" and neu.eingeladene and neu.protokollfuehrung.startswith("Kita-Leitung")


def test_mitglied_sieht_kein_planen_und_fremdes_protokoll_bleibt_zu(kopie):
    _, neustadt = kopie
    at = seite("seiten/sitzungen.py", Akteur("mitglied01", "mitglied", neustadt)).run()
    ohne_fehler(at)
    assert not any(e.label.startswith("Sitzung planen") for e in at.expander)
    at = seite("seiten/protokoll.py", Akteur("mitglied10", "mitglied", neustadt + 9)).run()
    next(s for s in at.selectbox if s.label == "Sozialraum").select("Neustadt").run()
    assert any("Verteiler" in e.value for e in at.error) and not at.dataframe


def test_protokoll_lesen_und_datenschutz_beim_speichern(kopie):
    engine, neustadt = kopie
    with sitzung(engine, akteur=None) as s:
        sid = s.scalar(select(m.Sitzung.id).where(m.Sitzung.sozialraum_id == neustadt,
                                                  m.Sitzung.status == "durchgefuehrt"))
        if sid is None:
            sid = s.scalar(select(m.Sitzung.id).where(m.Sitzung.sozialraum_id == neustadt,
                                                      m.Sitzung.status == "protokolliert"))
        vorher = s.scalar(select(func.count()).select_from(m.Protokollpunkt).where(m.Protokollpunkt.sitzung_id == sid))
    at = seite("seiten/protokoll.py", Akteur("tl01", "teamleitung", neustadt))
    at.session_state["protokoll_sitzung"] = sid
    at.run()
    ohne_fehler(at)
    assert any(mk.value.startswith("**1\\.") for mk in at.markdown)
    next(t for t in at.text_area if t.label == "Text des Punkts").input(
        "Frau Yılmaz <b>aus</b> der Hafenstraße 12 braucht Hilfe.")
    next(b for b in at.button if b.label == "Prüfen und speichern").click().run()
    ohne_fehler(at)
    assert any("personenbezogene" in w.value for w in at.warning)
    hervor = next(mk.value for mk in at.markdown if ":red-background[" in mk.value)
    assert "\\<b\\>" in hervor and "<b>" not in hervor.replace("\\<b\\>", "")  # maskiert, nie Auszeichnung
    next(t for t in at.text_input if t.label.startswith("Begründung der Bestätigung")).input("kurz")
    next(b for b in at.button if b.label == "Bestätigen und speichern").click().run()
    assert any("personenbezogene" in e.value for e in at.error)  # zu kurze Begründung: Datenschicht lehnt ab
    next(t for t in at.text_input if t.label.startswith("Begründung der Bestätigung")).input(
        "Schweigepflichtsentbindung liegt schriftlich vor.")
    next(b for b in at.button if b.label == "Bestätigen und speichern").click().run()
    assert any(s.value == "Punkt gespeichert." for s in at.success)
    with sitzung(engine, akteur=None) as s:
        nachher = s.scalar(select(func.count()).select_from(m.Protokollpunkt).where(m.Protokollpunkt.sitzung_id == sid))
    assert nachher == vorher + 1


def test_protokoll_ohne_anmeldung_gesperrt(app_env):
    at = seite("seiten/protokoll.py").run()
    _ohne_fehler_ausser_sperre = [e.value for e in at.error]
    assert any("Verteiler" in e for e in _ohne_fehler_ausser_sperre) and not at.exception


def _sr_id(engine, name: str) -> int:
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == name))


def test_stufenbeschluss_mit_geschichte_und_neuer_einladungsliste(kopie):
    engine, _ = kopie
    neustadt = _sr_id(engine, "Oberstadt")  # Ziel-Stufe 2 in der Demo: Stufe 3 ist hier noch neu
    with sitzung(engine, akteur=None) as s:
        geplant = s.scalar(select(m.Sitzung).where(m.Sitzung.sozialraum_id == neustadt, m.Sitzung.status == "geplant"))
        vorher = {t["einrichtung"] for t in geplant.eingeladene}
        frei = {e.schluessel for e in s.scalars(select(m.Einrichtung).join(m.Stadtteil).where(
            m.Stadtteil.sozialraum_id == neustadt, m.Einrichtung.art == "kita", m.Einrichtung.traeger_art == "frei"))}
        gehalten = s.scalar(select(m.Sitzung.datum).where(m.Sitzung.sozialraum_id == neustadt,
                                                          m.Sitzung.status == "versendet").order_by(m.Sitzung.datum))
    assert frei and not frei & vorher  # freie Kitas erst ab Stufe 3
    at = seite("seiten/sitzungen.py", Akteur("tl01", "teamleitung", neustadt)).run()
    ohne_fehler(at)
    assert any(t.value.startswith("Heute gilt Stufe 2") for t in at.markdown)
    geschichte = next(d.value for d in at.dataframe if "Beschluss" in d.value.columns and "Stufe" in d.value.columns)
    assert list(geschichte["Stufe"]) == [2, 1]  # neueste zuerst
    ab = geplant.datum - timedelta(days=14)
    next(s for s in at.selectbox if s.label == "Stufe").select(3)
    next(d for d in at.date_input if d.label == "gilt ab").set_value(ab)
    next(t for t in at.text_area if t.label.startswith("Beschluss")).input("Ergebnisprotokoll TOP 3: Stufe 3.")
    next(s for s in at.selectbox if s.label == "beschlossen in der Sitzung").select(f"{gehalten:%d.%m.%Y}")
    next(b for b in at.button if b.label == "Stufenbeschluss speichern").click().run()
    ohne_fehler(at)
    assert any(s.value == "Stufenbeschluss gespeichert." for s in at.success)
    geschichte = next(d.value for d in at.dataframe if "Beschluss" in d.value.columns and "Stufe" in d.value.columns)
    assert list(geschichte["Stufe"]) == [3, 2, 1] and geschichte["Beschluss"].iloc[0].startswith("Ergebnisprotokoll")
    with sitzung(engine, akteur=None) as s:
        b = s.scalar(select(m.Stufenbeschluss).where(m.Stufenbeschluss.stufe == 3,
                                                    m.Stufenbeschluss.sozialraum_id == neustadt))
        assert (b.sozialraum_id, b.gueltig_ab) == (neustadt, ab) and s.get(m.Sitzung, b.sitzung_id).datum == gehalten
        nachher = {t["einrichtung"] for t in s.get(m.Sitzung, geplant.id).eingeladene}
    assert frei <= nachher  # die geplante Sitzung lädt nach der neuen Stufe ein
    # derselbe Tag noch einmal: deutsche Meldung, nichts gespeichert
    next(d for d in at.date_input if d.label == "gilt ab").set_value(ab)
    next(t for t in at.text_area if t.label.startswith("Beschluss")).input("doppelt")
    next(b for b in at.button if b.label == "Stufenbeschluss speichern").click().run()
    assert any("schon einen Stufenbeschluss" in e.value for e in at.error) and not at.exception


def test_stufe_nur_lesen_fuer_mitglieder_jugendhilfeplanung_beschliesst_ohne_teilgremium(kopie):
    engine, neustadt = kopie
    at = seite("seiten/sitzungen.py", Akteur("mitglied01", "mitglied", neustadt)).run()
    ohne_fehler(at)
    assert any(s.value.startswith("Stufe des Gremiums") for s in at.subheader)
    assert not any(b.label in ("Stufenbeschluss speichern", "Teilgremium anlegen") for b in at.button)
    at = seite("seiten/sitzungen.py", Akteur("jhp", "jugendhilfeplanung")).run()
    ohne_fehler(at)
    labels = [b.label for b in at.button]
    assert "Stufenbeschluss speichern" in labels and "Teilgremium anlegen" not in labels


def test_teamleitung_legt_teilgremium_an_und_plant_seine_sitzung(kopie):
    engine, _ = kopie
    name = "Laubenheim, Weisenau"
    sr = _sr_id(engine, name)
    at = seite("seiten/sitzungen.py", Akteur("tl02", "teamleitung", sr)).run()
    ohne_fehler(at)
    assert any("ungeteilt" in c.value for c in at.caption)
    next(t for t in at.text_input if t.label == "Name des Teilgremiums").input("Weisenau")
    next(s for s in at.multiselect if s.label == "Stadtteile").select("Weisenau")
    next(b for b in at.button if b.label == "Teilgremium anlegen").click().run()
    ohne_fehler(at)
    assert any(s.value == "Teilgremium angelegt." for s in at.success)
    teil = next(d.value for d in at.dataframe if "Teilgremium" in d.value.columns and "Stadtteile" in d.value.columns)
    assert list(teil["Stadtteile"]) == ["Weisenau"]
    tag = date.today() + timedelta(days=40)
    while tag.weekday() != 2:
        tag += timedelta(days=1)
    at.date_input[0].set_value(tag).run()
    next(s for s in at.selectbox if s.label.startswith("Sitzung des Gremiums oder")).select("Teilgremium Weisenau")
    next(b for b in at.button if b.label == "Sitzung planen").click().run()
    ohne_fehler(at)
    with sitzung(engine, akteur=None) as s:
        sz = s.scalar(select(m.Sitzung).where(m.Sitzung.sozialraum_id == sr, m.Sitzung.datum == tag))
        assert sz.teilgremium.name == "Weisenau"
        stadtteile = {e.stadtteil.name for e in s.scalars(select(m.Einrichtung).where(
            m.Einrichtung.schluessel.in_([t["einrichtung"] for t in sz.eingeladene]), m.Einrichtung.art != "asd"))}
    assert stadtteile == {"Weisenau"}  # eingeladen nur aus dem Stadtteil des Teilgremiums (ASD immer)


def _protokollierte_sitzung(engine, tl: Akteur) -> int:
    """Eine protokollierte Sitzung des Sozialraums. Welche der zuletzt gehaltenen Demo-Sitzungen noch nicht
    versendet ist, hängt vom Tag ab, an dem die Demo geladen wurde: gibt es keine protokollierte, schließt die
    Teamleitung das Protokoll der zuletzt gehaltenen (durchgeführten) Sitzung ab – wie auf der Seite „Protokoll“."""
    from daten.dienste import protokoll
    from daten.dienste import sitzungen as dienst

    with sitzung(engine, akteur=None) as s:
        sid = s.scalar(select(m.Sitzung.id).where(m.Sitzung.sozialraum_id == tl.sozialraum_id,
                                                  m.Sitzung.status == "protokolliert").order_by(m.Sitzung.datum))
        if sid is not None:
            return sid
        sid = s.scalar(select(m.Sitzung.id).where(m.Sitzung.sozialraum_id == tl.sozialraum_id,
                                                  m.Sitzung.status == "durchgefuehrt").order_by(m.Sitzung.datum.desc()))
    assert sid is not None, "die zuletzt gehaltene Demo-Sitzung ist protokolliert oder durchgeführt"
    with sitzung(engine, akteur=tl) as s:
        protokoll.speichere_punkt(s, tl, sitzung_id=sid, frage=1, handlungsebene="fallunspezifisch",
                                  text="Die Angebote im Stadtteil sind gut ausgelastet.")
    with sitzung(engine, akteur=tl) as s:
        dienst.setze_status(s, tl, sitzung_id=sid, status="protokolliert")
    return sid


def test_protokoll_per_email_an_den_verteiler(kopie, monkeypatch, tmp_path):
    import yaml

    from daten.config import KOMMUNE_STANDARD
    from tests.daten.test_gremium_versand import smtp_server, smtp_umgebung, warte

    engine, neustadt = kopie
    cfg = yaml.safe_load(KOMMUNE_STANDARD.read_text(encoding="utf-8"))
    cfg["verteiler"]["adressen"] = {"Jugendhilfeplanung": ["jhp@example.org"]}
    (tmp_path / "kommune.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("RESSOURCENKARTE_KOMMUNE", str(tmp_path / "kommune.yaml"))
    sid = _protokollierte_sitzung(engine, Akteur("tl01", "teamleitung", neustadt))
    at = seite("seiten/sitzungen.py", Akteur("tl01", "teamleitung", neustadt)).run()
    next(s for s in at.selectbox if s.label == "Sitzung").set_value(sid).run()
    ohne_fehler(at)
    assert any("Kein SMTP-Server" in c.value for c in at.caption)  # ohne Server: Hinweis statt Formular
    assert not any(b.label == "Protokoll als PDF senden" for b in at.button)
    with smtp_server() as (port, angekommen):
        smtp_umgebung(monkeypatch, port)
        st.cache_resource.clear()
        at.run()
        ohne_fehler(at)
        feld = next(t for t in at.text_area if t.label.startswith("Empfänger des Protokolls"))
        assert feld.value == "jhp@example.org"  # vorbelegt aus der Konfiguration
        assert any(md("Abteilungsleitung 51.01") in c.value for c in at.caption)  # ohne Adresse: zum Ergänzen
        feld.input("jhp@example.org\nal5101@example.org")
        next(b for b in at.button if b.label == "Protokoll als PDF senden").click().run()
        warte(angekommen)
    ohne_fehler(at)
    assert any(s.value.startswith("Protokoll gesendet") for s in at.success)
    assert len(angekommen) == 1 and angekommen[0]["To"] == "jhp@example.org, al5101@example.org"
    assert any(t.get_content_type() == "application/pdf" for t in angekommen[0].walk())
    with sitzung(engine, akteur=None) as s:
        sz = s.get(m.Sitzung, sid)
        assert sz.status == "versendet" and sz.versendet_von == "tl01" and sz.versendet_am is not None
    assert any(t.value.startswith("Protokoll versendet von tl01") for t in at.text)
