"""AppTest „Sitzungen“ und „Protokoll“ im Alltag (Issue 14): die Auswahl bleibt über Status und Delegation auf der
gewählten Sitzung, Delegation nur aus den Konten des Sozialraums, „durchgeführt“ erst ab dem Sitzungstag, Gäste in
der Teilnahme; das Protokoll zeigt jeden Punkt ganz, nach Frage geordnet, und sagt Mitgliedern, warum sie eine
Sitzung nicht schreiben und welche sie schreiben; der Verteiler liest."""

import pytest
from sqlalchemy import select

import karte  # noqa: F401  (vor dem Start einer Seite laden: im Ordner seiten/ gibt es auch karte.py)
from daten import modelle as m
from daten.db import sitzung
from daten.politik import SYSTEM, Akteur
from seiten.gemeinsam import md
from tests.seiten.hilfen import demo_kopie, ohne_fehler, seite


@pytest.fixture
def kopie(monkeypatch, demo_sqlite_url, tmp_path):
    """Eigene Kopie der Demo-Datenbank (die Tests schreiben), die id von Neustadt und seine Sitzungen."""
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        with sitzung(engine, akteur=None) as s:
            neustadt = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Neustadt"))
        yield engine, neustadt


def _sitzungen(engine, sr: int) -> list[dict]:
    with sitzung(engine, akteur=None) as s:
        return [{"id": sz.id, "datum": sz.datum, "status": sz.status, "login": sz.protokoll_login,
                 "bereich": sz.protokoll_bereich, "delegationen": [(d.an_login, d.von_login) for d in sz.delegationen],
                 "teilnehmende": list(sz.teilnehmende)}
                for sz in s.scalars(select(m.Sitzung).where(m.Sitzung.sozialraum_id == sr).order_by(m.Sitzung.datum))]


def _eine(engine, sid: int) -> dict:
    return next(z for z in _sitzungen(engine, _sr_von(engine, sid)) if z["id"] == sid)


def _sr_von(engine, sid: int) -> int:
    with sitzung(engine, akteur=None) as s:
        return s.get(m.Sitzung, sid).sozialraum_id


def test_auswahl_bleibt_ueber_status_und_delegation_auf_der_gewaehlten_sitzung(kopie):
    engine, neustadt = kopie
    alle = _sitzungen(engine, neustadt)
    gehalten = [z for z in alle if z["status"] == "durchgefuehrt"][-1]  # die Demo: an mitglied01 delegiert
    offen = next(z for z in alle if z["status"] in ("geplant", "eingeladen"))  # die Vorwahl der Seite
    assert gehalten["login"] == "mitglied01" and gehalten["id"] != offen["id"]
    at = seite("seiten/sitzungen.py", Akteur("tl01", "teamleitung", neustadt)).run()
    ohne_fehler(at)
    wahl = at.selectbox(key="sitzungen_wahl")
    assert wahl.value == offen["id"]
    wahl.set_value(gehalten["id"]).run()
    kopf = md(f"Sitzung am {gehalten['datum']:%d.%m.%Y}")
    assert any(mk.value.startswith(f"**{kopf}") for mk in at.markdown)  # Datum, Ort, Status über den Aktionen
    assert any(mk.value.startswith(f"**Status setzen** – {kopf}") for mk in at.markdown)
    # 1. Status setzen: die Auswahl bleibt auf der gewählten Sitzung (kein Sprung, keine Warnung von Streamlit)
    next(s for s in at.selectbox if s.label == "Status").set_value("eingeladen")
    next(b for b in at.button if b.label == "Status setzen").click().run()
    ohne_fehler(at)
    assert any(s.value == "Status gesetzt." for s in at.success)
    assert at.selectbox(key="sitzungen_wahl").value == gehalten["id"]
    assert _eine(engine, gehalten["id"])["status"] == "eingeladen" and _eine(engine, offen["id"]) == offen
    # 2. Delegieren: nur Konten des Sozialraums, die schreiben dürfen (kein getipptes Login)
    konto = next(s for s in at.selectbox if s.label == "Konto, das das Protokoll schreibt")
    assert sorted(o.rsplit(", ", 1)[1] for o in konto.options) == ["mitglied01)", "tl01)"]  # nicht mitglied10, al5103
    assert not any(t.label.startswith("Konto") for t in at.text_input)
    konto.set_value("tl01")
    next(b for b in at.button if b.label == "Delegieren").click().run()
    ohne_fehler(at)
    assert any(s.value.startswith(f"Protokoll der Sitzung am {gehalten['datum']:%d.%m.%Y} an") for s in at.success)
    assert at.selectbox(key="sitzungen_wahl").value == gehalten["id"]
    nachher = _eine(engine, gehalten["id"])
    assert nachher["login"] == "tl01" and nachher["delegationen"][-1] == ("tl01", "tl01")
    assert _eine(engine, offen["id"]) == offen  # die vorgewählte Sitzung bleibt unberührt


def test_durchgefuehrt_vor_dem_sitzungstag_meldet_die_seite(kopie):
    engine, neustadt = kopie
    offen = next(z for z in _sitzungen(engine, neustadt) if z["status"] in ("geplant", "eingeladen"))
    at = seite("seiten/sitzungen.py", Akteur("tl01", "teamleitung", neustadt)).run()
    next(s for s in at.selectbox if s.label == "Status").set_value("durchgefuehrt")
    next(b for b in at.button if b.label == "Status setzen").click().run()
    assert not at.exception
    erwartet = md(f"am {offen['datum']:%d.%m.%Y} hat noch nicht stattgefunden")  # Meldungen sind maskiert
    assert any(erwartet in e.value for e in at.error), [e.value for e in at.error]
    assert _eine(engine, offen["id"])["status"] == offen["status"]


def test_gaeste_in_der_teilnahme(kopie):
    engine, neustadt = kopie
    gehalten = [z for z in _sitzungen(engine, neustadt) if z["status"] == "durchgefuehrt"][-1]
    mitglieder = [t for t in gehalten["teilnehmende"] if not t.get("gast")]
    at = seite("seiten/sitzungen.py", Akteur("tl01", "teamleitung", neustadt)).run()
    at.selectbox(key="sitzungen_wahl").set_value(gehalten["id"]).run()
    feld = next(t for t in at.text_area if t.label.startswith("Gäste bei Bedarf"))
    feld.input("Frau Berg; Suchthilfe (51.04)\nHerr Stein")
    next(b for b in at.button if b.label == "Teilnahme speichern").click().run()
    ohne_fehler(at)
    assert any(s.value == "Teilnahme gespeichert." for s in at.success)
    nachher = _eine(engine, gehalten["id"])["teilnehmende"]
    gaeste = [t for t in nachher if t.get("gast")]
    assert [(t["name"], t["organisation"]) for t in gaeste] == [("Frau Berg", "Suchthilfe (51.04)"),
                                                                ("Herr Stein", None)]
    def nach_name(liste):
        return sorted(liste, key=lambda t: (t["name"], t["bereich"]))

    assert nach_name([t for t in nachher if not t.get("gast")]) == nach_name(mitglieder)  # die Mitglieder bleiben
    assert any(md("(davon Gäste: 2)") in mk.value for mk in at.markdown)


def test_mitglied_findet_seine_sitzung_und_sieht_warum_eine_andere_nicht(kopie):
    engine, neustadt = kopie
    alle = _sitzungen(engine, neustadt)
    meine = next(z for z in alle if z["login"] == "mitglied01" and z["status"] == "durchgefuehrt")
    fremd = [z for z in alle if z["status"] == "versendet"][-1]
    at = seite("seiten/protokoll.py", Akteur("mitglied01", "mitglied", neustadt)).run()
    ohne_fehler(at)
    assert at.selectbox(key="protokoll_wahl").value == meine["id"]  # vorgewählt: das eigene offene Protokoll
    assert any(s.value == "Punkt eintragen" for s in at.subheader)
    at.selectbox(key="protokoll_wahl").set_value(fremd["id"]).run()
    ohne_fehler(at)
    assert not any(s.value == "Punkt eintragen" for s in at.subheader)
    assert any("Das Protokoll ist versendet" in i.value for i in at.info)
    hinweis = next(s.value for s in at.success if s.value.startswith("Sie schreiben das Protokoll der Sitzung am"))
    assert md(f"{meine['datum']:%d.%m.%Y}") in hinweis
    # eine Sitzung, deren Protokoll die Teamleitung schreibt: wer, und an welches Konto delegiert
    naechste = next(z for z in alle if z["status"] in ("geplant", "eingeladen"))
    with sitzung(engine, akteur=SYSTEM) as s:
        sz = s.get(m.Sitzung, naechste["id"])
        sz.protokoll_login, sz.protokollfuehrung = "tl01", "Teamleitung Neustadt (ASD)"
    at2 = seite("seiten/protokoll.py", Akteur("mitglied01", "mitglied", neustadt))
    at2.session_state["protokoll_sitzung"] = naechste["id"]  # von der Seite „Sitzungen“ übergeben
    at2.run()
    ohne_fehler(at2)
    assert at2.selectbox(key="protokoll_wahl").value == naechste["id"]
    warum = " ".join(i.value for i in at2.info)
    assert md("Das Protokoll dieser Sitzung schreibt Teamleitung Neustadt (ASD) (delegiert an das Konto tl01)") \
        in warum


def test_protokoll_zeigt_jeden_punkt_ganz_nach_frage_geordnet(kopie):
    engine, neustadt = kopie
    with sitzung(engine, akteur=None) as s:
        sz = s.scalars(select(m.Sitzung).where(m.Sitzung.sozialraum_id == neustadt, m.Sitzung.status == "versendet")
                       .order_by(m.Sitzung.datum.desc())).first()
        texte = [(p.frage, p.text) for p in sorted(sz.punkte, key=lambda p: (p.frage, p.id))]
        sid = sz.id
    lang = max(texte, key=lambda t: len(t[1]))[1]
    assert len(lang) > 80  # länger als eine Tabellenzeile
    at = seite("seiten/protokoll.py", Akteur("tl01", "teamleitung", neustadt))
    at.session_state["protokoll_sitzung"] = sid
    at.run()
    ohne_fehler(at)
    werte = [mk.value for mk in at.markdown]
    assert md(lang) in werte  # der volle Text, nicht gekürzt
    koepfe = [int(v[2:].split("\\.")[0]) for v in werte if v.startswith("**") and "\\. " in v[:8]]
    assert koepfe == list(range(1, 9))  # die acht Fragen in der Reihenfolge der Konfiguration
    reihenfolge = [werte.index(md(t)) for _, t in texte]
    assert reihenfolge == sorted(reihenfolge)  # jeder Punkt unter seiner Frage


def test_verteiler_liest_alle_gremien_und_schreibt_nicht(kopie):
    engine, neustadt = kopie
    at = seite("seiten/protokoll.py", Akteur("al5103", "verteiler", None)).run()
    ohne_fehler(at)
    for name in ("Neustadt", "Mombach"):
        next(s for s in at.selectbox if s.label == "Sozialraum").select(name).run()
        ohne_fehler(at)
        assert any(mk.value.startswith("**1\\.") for mk in at.markdown)
        assert not any(s.value == "Punkt eintragen" for s in at.subheader)
        assert not at.info or not any("schreibt" in i.value for i in at.info)
    at = seite("seiten/protokoll.py", Akteur("kita-tl", "verteiler", neustadt)).run()
    next(s for s in at.selectbox if s.label == "Sozialraum").select("Mombach").run()
    assert any("Verteiler" in e.value for e in at.error)
