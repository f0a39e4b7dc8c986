"""Gemeinsames für die AppTests der Seiten: Seite starten (optional angemeldet), ohne Fehler prüfen,
eigene Kopie der Demo-Datenbank für Tests, die schreiben."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from daten.db import erstelle_engine
from daten.politik import Akteur

WURZEL = Path(__file__).resolve().parents[2]


def seite(datei: str, akteur: Akteur | None = None) -> AppTest:
    """AppTest einer Seite (Pfad relativ zum Projekt), mit `akteur` angemeldet; noch nicht gelaufen."""
    at = AppTest.from_file(str(WURZEL / datei), default_timeout=120)
    if akteur is not None:
        at.session_state["akteur"] = akteur
    return at


def ohne_fehler(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@contextlib.contextmanager
def demo_kopie(mp: pytest.MonkeyPatch, demo_sqlite_url: str, ordner: Path) -> Iterator[Engine]:
    """Kopie der Demo-Datenbank in `ordner`, als Datenbank der App gesetzt (Caches geleert); liefert die Engine."""
    datei = ordner / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    url = f"sqlite:///{datei}"
    mp.setenv("RESSOURCENKARTE_DB_URL", url)
    mp.setenv("RESSOURCENKARTE_DEMO", "true")
    mp.setenv("RESSOURCENKARTE_BASEMAP", "keine")
    st.cache_resource.clear()
    st.cache_data.clear()
    engine = erstelle_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        st.cache_resource.clear()
        st.cache_data.clear()


def angezeigt(markdown: str) -> str:
    """Was im Browser steht, wenn Markdown einen mit `g.md` maskierten Text zeigt: ohne „\\“ vor Satzzeichen und
    ohne die unsichtbaren Wortverbinder."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
