"""Echter Browser: Streamlits Frontend zeigt mit `g.md` maskierten Text wörtlich – kein Link, kein Bild, keine Farbe,
keine Formel, kein Symbol; jede Anfrage an fremde Adressen würde blockiert und gezählt.

Ohne den Wortverbinder in `md` machte Streamlit hier aus `www.…`, `http://…` und `a@b.de` Links, aus
`:material_home:` ein Symbol, aus `:streamlit:` ein Bild und aus `->` einen Pfeil (geprüft mit 1.67).
"""

from __future__ import annotations

import json

from tests.e2e.hilfen import WURZEL, starte_app
from tests.seiten.test_md import NUTZLASTEN

APP = """
import json, sys
sys.path.insert(0, {wurzel!r})
import streamlit as st
from seiten import gemeinsam as g

nutzlasten = json.loads({nutzlasten!r})
for i, p in enumerate(nutzlasten):
    with st.container(key=f"md{{i}}"):
        st.markdown(g.md(p))
    with st.container(key=f"zeilen{{i}}"):
        st.markdown(g.md(p, zeilen=True))
    with st.container(key=f"label{{i}}"):
        st.checkbox(g.md(p), key=f"k{{i}}")
with st.container(key="emoji"):  # ein echtes Kurzzeichen lädt remark-emoji: das maskierte bleibt trotzdem Text
    st.markdown(g.md(":smile: :+1:") + " :sunny:")
with st.container(key="ende"):
    st.markdown("Ende")
"""

VERBOTEN = ("a", "img", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "blockquote",
            "strong", "em", "del", "hr", "input[type=checkbox][disabled]", ".katex", "span[role=img]",
            ".stMarkdownColoredText", ".stMarkdownColoredBackground", ".stMarkdownBadge", "streamlit-help-icon")


def _starte(ordner):  # noqa: ANN001, ANN202
    skript = ordner / "app.py"
    skript.write_text(APP.format(wurzel=str(WURZEL), nutzlasten=json.dumps(NUTZLASTEN)), encoding="utf-8")
    return starte_app(f"sqlite:///{ordner / 'leer.db'}", ordner / "streamlit.log", skript=str(skript))


def _text(seite, schluessel: str, wo: str = "[data-testid=stMarkdownContainer]") -> tuple[str, list[str]]:
    """Sichtbarer Text (ohne Wortverbinder) und die verbotenen Elemente darin."""
    el = seite.locator(f".st-key-{schluessel} {wo}").first
    gefunden = [v for v in VERBOTEN if el.locator(v).count()]
    return el.inner_text().replace("\u2060", ""), gefunden


def test_maskierter_text_bleibt_im_browser_text(seite, tmp_path):
    proc, adresse = _starte(tmp_path)
    try:
        seite.goto(adresse)
        seite.wait_for_selector(".st-key-ende [data-testid=stMarkdownContainer]", timeout=60_000)
        seite.wait_for_timeout(1500)  # nachgeladene Teile (KaTeX, Emoji) hätten Zeit, etwas zu ersetzen
        fehler = []
        for i, p in enumerate(NUTZLASTEN):
            einzeilig = " ".join(p.replace("\u2028", " ").replace("\u2029", " ").replace("\x1b", " ").split())
            for schluessel, wo in ((f"md{i}", "[data-testid=stMarkdownContainer]"),
                                   (f"label{i}", "label [data-testid=stMarkdownContainer]")):
                text, gefunden = _text(seite, schluessel, wo)
                if " ".join(text.split()) != einzeilig or gefunden:
                    fehler.append((schluessel, p, text, gefunden))
            text, gefunden = _text(seite, f"zeilen{i}")
            zeilen = [" ".join(z.split()) for z in p.replace("\x1b", " ").splitlines()]
            if [" ".join(z.split()) for z in text.splitlines()] != [z for z in zeilen if z] and \
                    " ".join(text.split()) != " ".join(" ".join(zeilen).split()) or gefunden:
                fehler.append((f"zeilen{i}", p, text, gefunden))
        text, gefunden = _text(seite, "emoji")
        assert text.startswith(":smile: :+1: ") and "😄" not in text and "👍" not in text, text
        assert not fehler, "\n".join(map(repr, fehler))
        assert not seite.blockiert and not seite.dialoge, (seite.blockiert, seite.dialoge)
    finally:
        proc.terminate()
        proc.wait(10)
