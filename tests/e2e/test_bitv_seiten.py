"""BITV 2.0 / WCAG 2.1 AA über jede Seite des Dashboards: axe-core (npm-Paket, von Playwright eingespielt)
findet keinen ernsten oder kritischen Verstoß, jedes Dokument erklärt Deutsch.

Angemeldet als Administration (sieht alle Seiten, auch Pflege, Import und Verwaltung) und als Gast. Die
Seiten werden über die Navigation in der Seitenleiste geöffnet, wie eine Person es tut (ein neuer Aufruf
der Adresse wäre eine neue Sitzung ohne Anmeldung).
"""

from __future__ import annotations

import pytest

from tests.e2e.hilfen import axe_pruefung, demo_app

pytestmark = pytest.mark.browser
# Titel in der Navigation (streamlit_app.py); die Administration sieht alle
# (die Präsentation zuletzt: sie blendet die Seitenleiste für den Beamer aus)
SEITEN = ["Start", "Karte", "Sitzungen", "Protokoll", "Budget", "Hospitationen und Reflexion",
          "Vergleich", "Bericht", "Import", "Pflege", "Verwaltung", "Offene Daten", "Präsentation"]


@pytest.fixture(scope="module")
def app(demo_sqlite_url, tmp_path_factory):
    with demo_app(demo_sqlite_url, tmp_path_factory.mktemp("bitv_app")) as (adresse, url):
        yield adresse


def _fertig(seite) -> None:  # noqa: ANN001
    """Warten, bis Streamlit das Skript zu Ende laufen ließ: kein „Running“-Anzeiger und keine veralteten
    Elemente mehr (die zeigt Streamlit während eines Laufs blass – axe sähe sonst zu wenig Kontrast)."""
    ruhig = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]') "
             "&& !document.querySelector('[data-stale=\"true\"]')")
    for _ in range(2):  # zweimal mit Pause: ein Lauf kann einen weiteren auslösen
        seite.wait_for_timeout(700)
        seite.wait_for_function(ruhig, timeout=60000)


def _oeffne(seite, titel: str) -> None:  # noqa: ANN001
    link = seite.locator('[data-testid="stSidebarNav"] a').filter(has_text=titel).first
    ziel = link.get_attribute("href")
    link.click()
    seite.wait_for_url(ziel, timeout=60000)
    seite.get_by_role("heading", level=1).first.wait_for(timeout=60000)
    _fertig(seite)


def _pruefe(seite, titel: str) -> list[str]:  # noqa: ANN001
    ergebnis = axe_pruefung(seite)
    falsch = [s for s in ergebnis["sprachen"] if not s.startswith("de")]
    return [f"{titel}: {v}" for v in ergebnis["ernst"]] + [f"{titel}: Sprache {s!r}" for s in falsch] + (
        [f"{titel}: kein Dokument geprüft"] if not ergebnis["sprachen"] else [])


def test_jede_seite_als_administration_ohne_ernste_verstoesse(app, seite):
    seite.set_default_timeout(60000)
    seite.goto(app, wait_until="domcontentloaded", timeout=60000)
    seite.get_by_label("Benutzername").fill("admin")
    seite.get_by_label("Passwort", exact=True).fill("demo")
    seite.get_by_role("button", name="Anmelden").click()
    seite.get_by_text("Angemeldet:").first.wait_for(timeout=60000)
    links = seite.locator('[data-testid="stSidebarNav"] a')
    links.first.wait_for()
    vorhanden = [t.strip() for t in links.all_inner_texts()]
    assert set(SEITEN) <= set(vorhanden), vorhanden  # sonst prüfte der Test weniger Seiten als gedacht
    fehler = []
    for titel in SEITEN:
        _oeffne(seite, titel)
        fehler += _pruefe(seite, titel)
    assert fehler == [], fehler


def test_anmeldeseite_und_gastansicht_ohne_ernste_verstoesse(app, seite):
    """Ohne Anmeldung (Demo: lesen erlaubt) – mit dem Anmeldeformular in der Seitenleiste."""
    seite.goto(app + "vergleich", wait_until="domcontentloaded", timeout=60000)
    seite.get_by_role("heading", level=1).first.wait_for(timeout=60000)
    seite.get_by_label("Benutzername").wait_for(timeout=60000)  # die Seitenleiste füllt sich nach der Seite
    _fertig(seite)
    assert _pruefe(seite, "Vergleich (Gast)") == []
