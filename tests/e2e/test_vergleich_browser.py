"""Vergleich-Seite im echten Browser: Gebietsnamen an Punkten und Linien, Legende, deutsche Dezimalzahlen; zwei
Gebiete nebeneinander – per Auswahlfeld (Tastatur) und per Klick in die Rangfolge; keine Anfrage nach außen."""

from __future__ import annotations

import re

import pytest

from tests.e2e.hilfen import demo_app

pytestmark = pytest.mark.browser
DIAGRAMME = ("geoshape", "bar", "circle", "line mark")
ENGLISCH = re.compile(r"^[−-]?\d+\.\d+$")  # „0.5“: Dezimalpunkt (deutsch wäre „0,5“)
DEUTSCH = re.compile(r"^[−-]?\d{1,3}(\.\d{3})*,\d+$")


@pytest.fixture(scope="module")
def app(demo_sqlite_url, tmp_path_factory):
    with demo_app(demo_sqlite_url, tmp_path_factory.mktemp("vergleich")) as (adresse, url):
        yield adresse


def _marken(page) -> list[tuple[str, str, float]]:
    """(Diagrammart, Gebiet, Deckkraft) je Marke; Vega zeichnet SVG mit aria-Beschriftung je Marke."""
    # nur das erste Vega-Diagramm der Seite: die vier verbundenen (darunter folgt z. B. die Lorenzkurve)
    roh = page.evaluate(
        "() => [...(document.querySelector('.vega-embed')?.querySelectorAll('path[aria-roledescription]') || [])]"
        ".map(e => [e.getAttribute('aria-roledescription'), e.getAttribute('aria-label'), e.getAttribute('opacity')])")
    return [(art, gebiet, float(deck or 1)) for art, gebiet, deck in roh if art in DIAGRAMME]


def _texte(page) -> list[str]:
    """Alle Texte im SVG der vier Diagramme: Achsen, Titel, Legende, Namen an Punkten und Linien."""
    return page.evaluate("() => [...(document.querySelector('.vega-embed')?.querySelectorAll('svg text') || [])]"
                         ".map(t => t.textContent.trim()).filter(t => t)")


def _hervorgehoben(page, gebiete: set[str], sekunden: float = 30) -> dict[str, set[str]]:
    """Wartet, bis in jedem Diagramm genau `gebiete` voll deckend sind; gibt die voll deckenden Gebiete je Art."""
    ende = page.evaluate("Date.now()") + sekunden * 1000
    while True:
        voll: dict[str, set[str]] = {art: set() for art in DIAGRAMME}
        for art, g, deck in _marken(page):
            if deck >= 0.99:
                voll[art].add(g)
        if all(v == gebiete for v in voll.values()) or page.evaluate("Date.now()") > ende:
            return voll
        page.wait_for_timeout(300)


def _waehle(seite, name: str) -> None:
    feld = seite.get_by_role("combobox", name="Gebiete vergleichen (nebeneinander in allen Diagrammen)")
    feld.click()
    seite.keyboard.type(name)
    seite.keyboard.press("Enter")
    seite.keyboard.press("Escape")


def test_namen_legende_und_deutsche_zahlen(app, seite, artefakte):
    seite.goto(app + "vergleich", wait_until="domcontentloaded", timeout=60000)
    seite.wait_for_selector(".vega-embed path[aria-roledescription='circle']", timeout=90000)
    seite.locator(".vega-embed").first.screenshot(path=str(artefakte / "vergleich_diagramme.png"))
    sozialraeume = {g for art, g, _ in _marken(seite) if art == "circle"}
    assert len(sozialraeume) == 10
    texte = _texte(seite)
    # zehn Punkte und zehn Linien: jeder Name steht am Punkt, am Linienende, an der Achse der Rangfolge und in der
    # Legende „Gebiete“ der Zeitreihe
    for name in sozialraeume:
        assert texte.count(name) >= 4, (name, texte.count(name))
    legenden = seite.evaluate("() => [...document.querySelector('.vega-embed').querySelectorAll("
                              "'[aria-roledescription=legend]')].map(e => e.getAttribute('aria-label') || '')")
    gebiete = [t for t in legenden if "Gebiete" in t]
    assert len(gebiete) == 1 and "with 10 values" in gebiete[0], legenden  # eine Legende, ein Eintrag je Gebiet
    zahlen = [t for t in texte if re.fullmatch(r"[−-]?[\d.,]+", t) and not re.fullmatch(r"\d{4}", t)]
    assert [t for t in zahlen if DEUTSCH.match(t)], zahlen  # Achsen mit Dezimalkomma
    assert not [t for t in zahlen if ENGLISCH.match(t)], zahlen
    # das Streudiagramm in Worten steht unter den Diagrammen
    assert seite.get_by_text("Bedarf gegen Angebot in Worten").count() == 1
    assert not [u for u in seite.blockiert if "tile" not in u], seite.blockiert[:5]


def test_zwei_gebiete_nebeneinander(app, seite, artefakte):
    seite.goto(app + "vergleich", wait_until="domcontentloaded", timeout=60000)
    seite.wait_for_selector(".vega-embed path[aria-roledescription='bar']", timeout=90000)
    assert {art for art, _, _ in _marken(seite)} == set(DIAGRAMME)
    # Tastatur: Auswahlfeld „Gebiete vergleichen“
    _waehle(seite, "Mombach")
    _hervorgehoben(seite, {"Mombach"})
    _waehle(seite, "Neustadt")
    voll = _hervorgehoben(seite, {"Mombach", "Neustadt"})
    seite.screenshot(path=str(artefakte / "vergleich_zwei.png"), full_page=True)
    assert voll == {art: {"Mombach", "Neustadt"} for art in DIAGRAMME}
    farben = seite.evaluate(
        "() => Object.fromEntries([...document.querySelector('.vega-embed').querySelectorAll("
        "\"path[aria-roledescription='bar']\")].map(e => [e.getAttribute('aria-label'), e.getAttribute('fill')]))")
    assert farben["Mombach"] != farben["Neustadt"]  # nebeneinander: jedes Gebiet seine Farbe
    assert len({farben[g] for g in farben if g not in ("Mombach", "Neustadt")}) == 1  # die übrigen grau
    # Klick in die Rangfolge nimmt ein drittes Gebiet auf – für alle Diagramme und das Auswahlfeld
    dritt = next(g for g in farben if g not in ("Mombach", "Neustadt"))
    seite.locator(f".vega-embed path[aria-roledescription='bar'][aria-label='{dritt}']").click()
    voll = _hervorgehoben(seite, {"Mombach", "Neustadt", dritt})
    assert voll == {art: {"Mombach", "Neustadt", dritt} for art in DIAGRAMME}
    seite.wait_for_function(  # die gewählten Gebiete stehen als Marken im Auswahlfeld
        "n => [...document.querySelectorAll('[data-testid=stMultiSelect]')].some(m => "
        "m.textContent.startsWith('Gebiete vergleichen') && m.textContent.includes(n))", arg=dritt, timeout=30000)
    assert not [u for u in seite.blockiert if "tile" not in u], seite.blockiert[:5]
