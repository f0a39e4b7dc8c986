"""Die eine Maskierung `seiten.gemeinsam.md` gegen jede Art von Markdown, die Streamlit auswertet.

Zwei Stufen, wie im Browser (StreamlitMarkdown, react-markdown): zuerst löst der Markdown-Parser die Maskierung auf
(ein `\\:` wird `:`), danach ersetzen Streamlits Erweiterungen Muster im fertigen Text: Kurzzeichen (`:smile:`,
`:material_home:`, `:streamlit:` als Bild), Pfeile (`->` wird `→`) und GFM-Autolinks (`www.…`, `http://…`,
`a@b.de`). Die Tests prüfen beide: kein Sonderzeichen unmaskiert, und im aufgelösten Text passt keines der Muster
(die regulären Ausdrücke stammen aus Streamlits Frontend 1.67 und mdast-util-gfm-autolink-literal). Der echte
Browser prüft dasselbe in tests/e2e/test_markdown_browser.py.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from seiten.gemeinsam import WORTVERBINDER, md

NUTZLASTEN = [
    # Streamlit-Direktiven, Kurzzeichen, Symbole
    ":red[rot]", ":blue-background[blau]", ":rainbow[bunt] :small[klein] :help[Hilfe]", ":color[x]{foreground=red}",
    ":material/home:", ":material_home:", ":streamlit:", ":smile: :+1: :-1:", ":red-badge[Abzeichen]",
    # KaTeX
    "$x^2$", "$$\\int_0^1 x\\,dx$$", "Preis 5$ und 7$",
    # Bilder, Links, Autolinks
    "![t](http://127.0.0.1:9/t.png)", "![t][r]\n\n[r]: http://127.0.0.1:9/t.png", "[Link](javascript:alert(1))",
    "<http://127.0.0.1:9/x>", "<mail@example.org>", "www.example.org/pfad", "WWW.EXAMPLE.ORG",
    "https://example.org/?a=1&b=2", "ftp://example.org", "mail@example.org", "mailto:mail@example.org",
    # HTML, Entities
    "<img src=x onerror=alert(1)>", "<b>fett</b>", "&lt;b&gt; &amp; &#42;", "<!-- Kommentar -->",
    # Blöcke am Zeilenanfang, Tabellen, Code, Hervorhebung
    "# Überschrift", "## Zwei", "- Liste", "* Stern", "+ Plus", "1. eins", "1) eins", "> Zitat", "---", "***",
    "Titel\n===", "a | b\n--|--\n1 | 2", "`code`", "``co`de``", "    eingerückt", "```\ncode\n```", "~~~\ncode\n~~~",
    "**fett** __fett__ *kursiv* _kursiv_ ~~durch~~ ~einfach~", "a\\*b\\", "\\`", "[^1]\n\n[^1]: Fußnote",
    "- [ ] Aufgabe", "{{7*7}} {% x %} ${7*7}",
    # Pfeile und Typografie, die Streamlit im Text ersetzt
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    # Steuerzeichen und Umbrüche
    "Zeile 1\nZeile 2\r\nZeile 3\u2028x\u2029y", "Tab\tTab", "\x1b[31mrot",
]

# Was Streamlits Frontend im aufgelösten Text ersetzt (StreamlitMarkdown, remark-emoji, GFM-Autolinks)
TEXTMUSTER = {
    "Kurzzeichen": re.compile(r":\+1:|:-1:|:[A-Za-z0-9_-]+:"),
    "Material-Symbol": re.compile(r":material_(\w+):", re.ASCII),
    "Pfeil": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
    "Autolink": re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE | re.ASCII),
    "E-Mail": re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII),
}
SONDERZEICHEN = r"\\`*_{}\[\]()<>#+\-.!|~$:&^="


def _aufgeloest(markdown: str) -> str:
    """Was der Markdown-Parser aus dem maskierten Text macht: „\\x“ wird „x“ (CommonMark: Backslash-Escape)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _wie_angezeigt(text: str) -> str:
    return " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text).split())


@pytest.mark.parametrize("text", NUTZLASTEN)
def test_md_jedes_sonderzeichen_maskiert(text):
    aus = md(text)
    assert "\n" not in aus and "\r" not in aus
    ohne_maskierung = re.sub(r"\\.", "", aus)
    assert not re.search(f"[{SONDERZEICHEN}]", ohne_maskierung), aus


@pytest.mark.parametrize("text", NUTZLASTEN)
def test_md_zeigt_den_text_woertlich(text):
    sichtbar = _aufgeloest(md(text)).replace(WORTVERBINDER, "")
    assert sichtbar == _wie_angezeigt(text)


@pytest.mark.parametrize("text", NUTZLASTEN)
def test_md_nach_dem_aufloesen_passt_kein_textmuster(text):
    aufgeloest = _aufgeloest(md(text))
    for art, muster in TEXTMUSTER.items():
        assert not muster.search(aufgeloest), (art, aufgeloest)


def test_textmuster_passen_ohne_wortverbinder():
    """Gegenprobe: ohne den Wortverbinder fänden Streamlits Muster die Nutzlasten (die Tests oben prüfen also etwas)."""
    for art, text in [("Kurzzeichen", ":smile:"), ("Material-Symbol", ":material_home:"), ("Pfeil", "a -> b"),
                      ("Autolink", "www.example.org"), ("Autolink", "http://x.de"), ("E-Mail", "a@b.de")]:
        aufgeloest = _aufgeloest(md(text)).replace(WORTVERBINDER, "")
        assert TEXTMUSTER[art].search(aufgeloest), art


def test_wortverbinder_nur_wo_noetig():
    assert md("Mainz-Neustadt: Treff 10 Uhr") == "Mainz\\-Neustadt\\: Treff 10 Uhr"
    assert WORTVERBINDER not in md("Hauptstraße 5, 55116 Mainz")
    assert md("www.mainz.de") == f"www{WORTVERBINDER}\\.mainz\\.de"
    assert md(None) == "" and md(2024) == "2024" and md(1.5) == "1\\.5"


def test_md_zeilen_behaelt_umbrueche_ohne_block():
    aus = md("Erste Zeile\n# keine Überschrift\n    kein Code\n- keine Liste\n===\n\nAbsatz", zeilen=True)
    zeilen = aus.split("  \n")
    assert zeilen == ["Erste Zeile", "\\# keine Überschrift", "\u00a0" * 4 + "kein Code", "\\- keine Liste",
                      "\\=\\=\\=", "", "Absatz"]
    for z in zeilen:
        assert not re.search(f"[{SONDERZEICHEN}]", re.sub(r"\\.", "", z)), z
        assert not z.startswith((" ", "\t"))  # nie ein eingerückter Codeblock
    assert md("a\r\nb\rc\u2028d", zeilen=True) == "a  \nb  \nc  \nd"
    assert md(":smile:\nwww.x.de", zeilen=True) == f"\\:{WORTVERBINDER}smile\\:  \nwww{WORTVERBINDER}\\.x\\.de"


def _app(nutzlasten: list[str]) -> None:
    import streamlit as st

    from seiten import gemeinsam as g

    for i, p in enumerate(nutzlasten):
        st.markdown(g.md(p))
        st.caption(g.md(p))
        st.checkbox(g.md(p), key=f"k{i}")
        with st.expander(g.md(p)):
            st.info(g.md(p, zeilen=True))


def test_apptest_zeigt_nur_maskierten_text():
    """Durch Streamlit (AppTest): Elemente und Beschriftungen tragen genau den maskierten Text."""
    at = AppTest.from_function(_app, args=(NUTZLASTEN,), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.markdown] == [md(p) for p in NUTZLASTEN]
    assert [c.value for c in at.caption] == [md(p) for p in NUTZLASTEN]
    assert [c.label for c in at.checkbox] == [md(p) for p in NUTZLASTEN]
    assert [e.label for e in at.expander] == [md(p) for p in NUTZLASTEN]
    # Streamlit kürzt den Text (strip) und leert Zeilen aus Leerzeichen (textwrap.dedent)
    assert [i.value for i in at.info] == [re.sub(r"(?m)^ +$", "", md(p, zeilen=True)).strip() for p in NUTZLASTEN]
    for m, p in zip(at.markdown, NUTZLASTEN, strict=True):
        assert _aufgeloest(m.value).replace(WORTVERBINDER, "") == _wie_angezeigt(p)
