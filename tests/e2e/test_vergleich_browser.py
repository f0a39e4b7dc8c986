"""Vergleich-Seite im echten Browser: ein Gebiet wird in allen vier Diagrammen hervorgehoben – per
Auswahlfeld (Tastatur) und per Klick in die Rangfolge; keine Anfrage nach außen."""

from __future__ import annotations

import pytest

from tests.e2e.hilfen import demo_app

pytestmark = pytest.mark.browser
DIAGRAMME = ("geoshape", "bar", "circle", "line mark")


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


def _hervorgehoben(page, gebiet: str, sekunden: float = 30) -> dict[str, set[str]]:
    """Wartet, bis in jedem Diagramm nur `gebiet` voll deckend ist; gibt die voll deckenden Gebiete je Art."""
    ende = page.evaluate("Date.now()") + sekunden * 1000
    while True:
        voll: dict[str, set[str]] = {art: set() for art in DIAGRAMME}
        for art, g, deck in _marken(page):
            if deck >= 0.99:
                voll[art].add(g)
        if all(v == {gebiet} for v in voll.values()) or page.evaluate("Date.now()") > ende:
            return voll
        page.wait_for_timeout(300)


def test_gebiet_in_allen_diagrammen(app, seite, artefakte):
    seite.goto(app + "vergleich", wait_until="domcontentloaded", timeout=60000)
    seite.wait_for_selector(".vega-embed path[aria-roledescription='bar']", timeout=90000)
    assert {art for art, _, _ in _marken(seite)} == set(DIAGRAMME)
    # Tastatur: Auswahlfeld „Gebiet hervorheben“
    feld = seite.get_by_label("Gebiet hervorheben (in allen Diagrammen)")
    feld.click()
    seite.keyboard.type("Mombach")
    seite.keyboard.press("Enter")
    voll = _hervorgehoben(seite, "Mombach")
    seite.screenshot(path=str(artefakte / "vergleich_mombach.png"), full_page=True)
    assert voll == {art: {"Mombach"} for art in DIAGRAMME}
    gedimmt = {g for art, g, deck in _marken(seite) if art == "bar" and deck < 0.99}
    assert len(gedimmt) == 9  # die anderen Sozialräume
    # Klick in die Rangfolge wählt ein anderes Gebiet – für alle Diagramme und das Auswahlfeld
    seite.locator(".vega-embed path[aria-roledescription='bar'][aria-label='Neustadt']").click()
    voll = _hervorgehoben(seite, "Neustadt")
    assert voll == {art: {"Neustadt"} for art in DIAGRAMME}
    seite.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSelectbox] input')].some(i => "
        "(i.getAttribute('aria-label') || '').startsWith('Gebiet hervorheben') && i.value === 'Neustadt')",
        timeout=30000)
    assert not [u for u in seite.blockiert if "tile" not in u], seite.blockiert[:5]
