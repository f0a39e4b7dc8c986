"""Echter Browser: Debians Chromium über Playwright, jede nicht-lokale Anfrage wird blockiert."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from karte.export import ist_lokal

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WURZEL = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} fehlt (CI=true)")
        pytest.skip(f"{CHROMIUM} fehlt: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def seite(browser):
    """Neue Seite; sammelt blockierte Hosts und ausgelöste Dialoge (alert = Skript lief)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.blockiert, page.dialoge = [], []

    def route(r):
        if ist_lokal(r.request.url):
            r.continue_()
        else:
            page.blockiert.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page.on("dialog", lambda d: (page.dialoge.append(d.message), d.dismiss()))
    yield page
    ctx.close()


@pytest.fixture(scope="session")
def artefakte(tmp_path_factory) -> Path:
    ziel = Path(os.environ.get("RK_ARTEFAKTE", "")) if os.environ.get("RK_ARTEFAKTE") else None
    ziel = ziel or tmp_path_factory.mktemp("artefakte")
    ziel.mkdir(parents=True, exist_ok=True)
    return ziel
