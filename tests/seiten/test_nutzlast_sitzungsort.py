"""Der Fall aus Issue 16: eine Einrichtung mit Markdown im Namen ist Ort von Sitzungen (und Zeile der Pflege).

Sitzungen, Protokoll, Start und Pflege zeigen den Namen – überall nur maskiert: in Text, Meldungen, Überschriften,
Beschriftungen und Hilfetexten steht kein `![`, `](http`, `:red[`, `$x^2$`, `<b>` oder `www.` unmaskiert.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from daten import modelle as m
from daten.db import sitzung
from daten.politik import SYSTEM, Akteur
from seiten.gemeinsam import md
from tests.seiten.hilfen import angezeigt, demo_kopie, ohne_fehler, seite

NUTZLAST = "Treff ![t](http://127.0.0.1:9/t.png) :red[rot] $x^2$ <b>fett</b> www.example.org :material/home: ->"
ROH = ["![", "](http", ":red[", "$x^2$", "<b>", "www.example", ":material/", " -> "]


@pytest.fixture
def ort(monkeypatch, demo_sqlite_url, tmp_path):
    """Demo-Kopie; der Ort der letzten Sitzung in Neustadt heißt wie die Nutzlast.
    Gibt (Engine, Sozialraum-id, Einrichtungs-id, ids der Sitzungen dort)."""
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        with sitzung(engine, akteur=SYSTEM) as s:
            sr = s.scalar(select(m.Sozialraum).where(m.Sozialraum.name == "Neustadt"))
            q = (select(m.Sitzung).where(m.Sitzung.sozialraum_id == sr.id, m.Sitzung.ort_id.is_not(None),
                                         m.Sitzung.status != "abgesagt").order_by(m.Sitzung.datum))
            sitzungen = s.scalars(q).all()
            assert sitzungen, "Demo ohne Sitzungsort"
            e = sitzungen[-1].ort
            e.name = NUTZLAST
            werte = (sr.id, e.id, [z.id for z in sitzungen if z.ort_id == e.id])
        yield engine, *werte


def _texte(at) -> list[str]:  # noqa: ANN001
    """Alles, was Streamlit als Markdown zeigt: Elemente, Beschriftungen, Hilfetexte."""
    werte = [e.value for art in ("markdown", "caption", "info", "warning", "error", "success", "title", "header",
                                 "subheader", "toast") for e in getattr(at, art)]
    widgets = [w for art in ("button", "checkbox", "selectbox", "multiselect", "text_input", "text_area", "radio",
                             "toggle", "number_input", "date_input") for w in getattr(at, art)]
    werte += [w.label for w in widgets] + [w.help for w in widgets if getattr(w, "help", None)]
    werte += [e.label for e in at.expander] + [t.label for t in at.tabs]
    return [str(w) for w in werte]


def _pruefe(at, *, erwartet: bool = True) -> None:  # noqa: ANN001
    ohne_fehler(at)
    texte = _texte(at)
    roh = [(t, r) for t in texte for r in ROH if r in t]
    assert not roh, roh  # nichts unmaskiert
    if erwartet:  # der Name ist zu sehen (maskiert), die Prüfung also nicht leer
        assert any(md(NUTZLAST) in t for t in texte), texte
        assert any(NUTZLAST in angezeigt(t) for t in texte)


def test_sitzungen_zeigen_den_ort_nur_maskiert(ort):
    engine, sr_id, _, ids = ort
    at = seite("seiten/sitzungen.py", Akteur("tl01", "teamleitung", sr_id)).run()
    ohne_fehler(at)
    at.selectbox(key="sitzungen_wahl").set_value(ids[-1]).run()
    _pruefe(at)


def test_protokoll_zeigt_den_ort_nur_maskiert(ort):
    engine, sr_id, _, ids = ort
    at = seite("seiten/protokoll.py", Akteur("tl01", "teamleitung", sr_id))
    at.session_state["protokoll_sitzung"] = ids[-1]
    at.run()
    assert at.selectbox(key="protokoll_wahl").value == ids[-1]
    _pruefe(at)


def test_pflege_nur_lesen_zeigt_den_namen_maskiert(ort):
    engine, _, eid, _ = ort
    with sitzung(engine, akteur=None) as s:
        fremd = s.scalar(select(m.Benutzer).where(m.Benutzer.login == "tl10"))
        akteur = Akteur(fremd.login, fremd.rolle, fremd.sozialraum_id)
    at = seite("seiten/pflege.py", akteur)
    at.session_state["pflege_reiter"] = "Einrichtung bearbeiten"
    at.run()
    at.checkbox(key="pflege_andere").check().run()
    at.selectbox(key="pflege_wahl").set_value(eid).run()
    _pruefe(at)
    assert any(t.startswith("Nur lesen") and NUTZLAST in t for t in map(angezeigt, (i.value for i in at.info)))


def test_start_zeigt_keine_rohe_nutzlast(ort):
    engine, sr_id, _, _ = ort
    at = seite("seiten/start.py", Akteur("tl01", "teamleitung", sr_id)).run()
    _pruefe(at, erwartet=False)
