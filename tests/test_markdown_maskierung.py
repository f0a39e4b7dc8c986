"""Jede Seite zeigt gespeicherten Text nur über die eine Maskierung `g.md` (statische Prüfung, tests/markdown_pruefung).

Ein Name wie `:red[x] ![t](http://…)` als Sitzungsort darf nirgends als Markdown ankommen: nicht rot, kein Bild,
das der Browser jeder anderen Person von irgendwo lädt. Die Prüfung selbst wird hier an kleinen Beispielen geprüft
(Befunde und Nicht-Befunde), damit sie nicht still nichts findet.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.markdown_pruefung import pruefe_dateien, pruefe_quelltext

WURZEL = Path(__file__).resolve().parents[1]


def test_seiten_zeigen_gespeicherten_text_nur_maskiert():
    befunde = pruefe_dateien(WURZEL)
    assert not befunde, "Unmaskierte Werte in Markdown-Text:\n" + "\n".join(map(str, befunde))


def test_pruefung_sieht_alle_seiten():
    dateien = {p.name for p in (WURZEL / "seiten").glob("*.py")}
    assert {"protokoll.py", "sitzungen.py", "_pflege_einrichtung.py", "start.py"} <= dateien
    assert len(dateien) >= 20


def _befunde(code: str) -> list[str]:
    return [b.ausdruck for b in pruefe_quelltext(textwrap.dedent(code), "probe.py")]


@pytest.mark.parametrize("code, erwartet", [
    # die Fälle aus dem Issue: ein Einrichtungsname als Ort einer Sitzung
    ("st.markdown(f'**Ort:** {sz[\"ort\"]}')", ["sz['ort']"]),
    ("st.caption('Ort: ' + e.name)", ["e.name"]),
    ("st.info('Ort: %s' % e.name)", ["e.name"]),
    ("st.warning('Ort: {}'.format(e.name))", ["e.name"]),
    ("st.write('Fehlten: ' + ', '.join(fehlt['einrichtung']))", ["fehlt['einrichtung']"]),
    ("st.write(f'Fehlten: {\", \".join(n for n in namen)}')", ["namen"]),
    ("st.success(e.name)", ["e.name"]),
    ("st.toast(z['text'])", ["z['text']"]),
    ("spalte.subheader(f'Sitzungen {sr.name}')", ["sr.name"]),
    ("st.sidebar.title(f'{e.name}')", ["e.name"]),
    ("(st.success if ok else st.warning)(erg.text)", ["erg.text"]),
    # Beschriftungen und Hilfetexte von Eingabeelementen, Optionen von radio
    ("st.button(f'{a.bezeichnung} öffnen')", ["a.bezeichnung"]),
    ("st.checkbox('Ja', help=f'„{f.name}“ prüfen')", ["f.name"]),
    ("st.selectbox(label=f'Ort {e.ort}', options=[])", ["e.ort"]),
    ("st.expander(f'Details {e.name}')", ["e.name"]),
    ("st.tabs([f'Einrichtungen {e.name}', 'Netzwerke'])", ["e.name"]),
    ("st.metric(f'{e.name}', 3)", ["e.name"]),
    ("st.radio('Gemeint', ids, format_func=lambda i: d[i].beschreibung)", ["d[i].beschreibung"]),
    ("balken.progress(0.5, text=f'Lese {datei.name}')", ["datei.name"]),
    # Namen: die Zuweisung zählt
    ("""
     def f(sz):
         kopf = f"{sz['ort']} am {sz['datum']:%d.%m.%Y}"
         st.markdown(f"**{kopf}**")
     """, ["sz['ort']"]),
    ("""
     def f(sz):
         text = sz['grund']
         st.info(text)
     """, ["sz['grund']"]),
    ("""
     def f(jahr):
         st.subheader(f"Budget {jahr}")
     """, ["jahr"]),
    ("""
     def f(orte):
         for o in orte:
             st.caption(f"Ort {o}")
     """, ["orte"]),
    ("st.caption(f'{STATUS.get(k, k)}')", ["k"]),  # Ersatzwert ist der Rohwert
    ("st.metric('Einwohner', f'{z.name}', delta=f'{z.x}')", ["z.name", "z.x"]),  # auch Wert und Änderung
    ("""
     def f(daten):
         for d in daten.dateien:
             st.download_button(f"{d.titel}", b"")
     """, ["d.titel"]),  # Feld eines Unbekannten bleibt ein Befund
    ("""
     def f(texte):
         for t in texte:
             st.caption(t)
     """, ["texte"]),  # Schleife über Unbekanntes: der Befund zeigt auf die Quelle
    ("""
     def f(z):
         werte = {"a": "fest"}
         werte["b"] = z.name
         for titel, wert in werte.items():
             st.metric(titel, wert)
     """, ["werte.items()"]),  # später hineingeschriebene Werte zählen mit
    ("st.caption(f'{x!r:>10}')", ["x"]),  # Textformat bleibt Text
    ("st.caption(f'{x:>10s}')", ["x"]),
])
def test_pruefung_findet(code, erwartet):
    assert _befunde(code) == erwartet


@pytest.mark.parametrize("code", [
    "st.markdown(f'**Ort:** {g.md(sz[\"ort\"])}')",
    "st.caption('Ort: ' + g.md(e.name))",
    "st.write('Fehlten: ' + ', '.join(map(g.md, fehlt['einrichtung'])))",
    "st.write(f'Fehlten: {\", \".join(g.md(n) for n in namen)}')",
    "st.markdown(g.md(z.text, zeilen=True))",
    "st.success('Gespeichert.')",
    "st.caption(f'{len(liste)} Einträge, {g.zahl(x, 1)} km, {g.euro(b)}, am {g.datum(d)}')",
    "st.caption(f'{x:.1f} · {n:d} · {p:.0%} · {d:%d.%m.%Y} · {n:,}')",  # Zahlen-/Datumsformat
    "st.caption(f'Sozialraum {i + 1:d} von {len(namen)}')",
    "st.caption(f'{STATUS[k]} · {dienst.STATUS_TEXT[k]} · {dg.HOECHSTENS} · {STATUS.get(k, \"–\")}')",
    "st.radio('Status', ids, format_func=STATUS.get)",
    "st.radio('Art', ids, format_func=g.md)",
    "st.selectbox('Ort', ids, format_func=lambda i: namen[i])",  # Optionen einer selectbox: kein Markdown
    "log.info(f'{e.name}')",  # Protokoll, nicht Streamlit
    "'abc'.title()",
    "st.dataframe(df)",
    "st.text(f'{e.name}')",  # st.text zeigt wörtlich
    "st.error(g.md(str(exc)))",
    "st.error(f'Vorfall {secrets.token_hex(4).upper()}')",
    """
    def f(sz):
        kopf = g.md(sz['ort'])
        st.markdown(f"**{kopf}**")
    """,
    """
    def f(erfolg):
        st.success(erfolg)  # ein bloßer Parameter: Sache des Aufrufers
    """,
    """
    KOPF = ("Name", "Ort")
    def f():
        for spalte, kopf in zip(st.columns(2), KOPF):
            spalte.markdown(f"**{kopf}**")
        for i, ziel in enumerate(ZIELE["einrichtung"]):
            st.caption(f"{i}: {ziel}")
    """,
    """
    def f():
        for d in (*DATEIEN, METADATEN):
            st.download_button(f"{d.titel} – {d.name}", b"", help=d.beschreibung)
    """,
    """
    def _titel(n):
        return f"Einträge ({n:d})"
    st.subheader(_titel(3))
    """,
    """
    def f(ok):
        hilfe = {"a": "fest", "b": g.md(k.text) if ok else None}
        st.metric("a", 1, help=hilfe.get("a"))
    """,
])
def test_pruefung_laesst_sicheres(code):
    assert _befunde(code) == []


def test_befund_nennt_datei_und_zeile():
    (b,) = pruefe_quelltext("import streamlit as st\n\nst.caption('Ort: ' + e.name)\n", "seiten/probe.py")
    assert str(b).startswith("seiten/probe.py:3: caption(…): e.name")


def test_pruefung_schlaegt_an_wenn_ein_befund_zurueckkehrt(tmp_path):
    """Eine Seite aus dem Bestand mit einem wieder entfernten md(…): die Prüfung meldet genau diese Stelle."""
    seite = (WURZEL / "seiten" / "start.py").read_text(encoding="utf-8")
    alt = "„{g.md(aufgabe.bezeichnung)}“"
    assert alt in seite
    (tmp_path / "seiten").mkdir()
    (tmp_path / "seiten" / "start.py").write_text(seite.replace(alt, "„{aufgabe.bezeichnung}“"), encoding="utf-8")
    (tmp_path / "streamlit_app.py").write_text("", encoding="utf-8")
    befunde = pruefe_dateien(tmp_path)
    assert [(b.datei, b.ausdruck) for b in befunde] == [("seiten/start.py", "aufgabe.bezeichnung")]


def test_erfolgsmeldung_von_schreibe_wird_geprueft():
    """gr.schreibe(aktion, erfolg) zeigt `erfolg` mit st.success: gespeicherte Werte darin gehören maskiert."""
    assert _befunde("gr.schreibe(aktion, f'An {konten[login]} delegiert.')") == ["konten[login]"]
    assert _befunde("gr.schreibe(aktion, erfolg=f'An {g.md(konten[login])} delegiert.')") == []
