"""Single Sign-on im echten Browser gegen einen lokalen OpenID-Connect-Anbieter (PyPI `oidc-provider-mock`).

Der ganze Weg: Knopf „Mit Single Sign-on anmelden“ → Streamlits st.login → Anmeldeseite des Anbieters →
zurück mit ID-Token → Gruppen-Anspruch → Rolle Teamleitung im Sozialraum Mombach. Dazu eine Person ohne
passende Gruppe (abgelehnt) und Abmelden (auch beim Anbieter-Cookie der App).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from tests.e2e.hilfen import WURZEL, freier_port

# der Test-Anbieter nutzt ältere Authlib-Schnittstellen (Warnungen dort, nicht bei uns)
pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
GRUPPEN = "AfJF-Admin=admin; ASD-TL-Mombach=teamleitung:Mombach"


@pytest.fixture(scope="module")
def sso_app(demo_sqlite_url, tmp_path_factory):
    from oidc_provider_mock import User, run_server_in_thread

    ordner = tmp_path_factory.mktemp("sso_app")
    datei = ordner / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    nutzer = [User(sub="anna", claims={"email": "anna.weber@mainz.example", "name": "Anna Weber",
                                      "groups": ["Kantine", "ASD-TL-Mombach"]}),
              User(sub="otto", claims={"email": "otto@mainz.example", "name": "Otto Ohnegruppe", "groups": []})]
    with run_server_in_thread(user_claims=nutzer) as anbieter:
        port = freier_port()
        geheim = ordner / "secrets.toml"
        geheim.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(16)}"\n'
            'client_id = "ressourcenkarte"\n'
            'client_secret = "geheim"\n'
            f'server_metadata_url = "http://localhost:{anbieter.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8")
        env = dict(os.environ, RESSOURCENKARTE_DB_URL=f"sqlite:///{datei}", RESSOURCENKARTE_DEMO="true",
                   RESSOURCENKARTE_BASEMAP="keine", RESSOURCENKARTE_ANMELDUNG="sso",
                   RESSOURCENKARTE_OIDC_GRUPPEN=GRUPPEN)
        streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
        log = (ordner / "streamlit.log").open("w")
        proc = subprocess.Popen(
            [streamlit, "run", "streamlit_app.py", "--server.headless", "true", "--server.port", str(port),
             "--browser.gatherUsageStats", "false", "--secrets.files", str(geheim)],
            cwd=WURZEL, env=env, stdout=log, stderr=subprocess.STDOUT)
        adresse = f"http://localhost:{port}/"
        ende = time.time() + 60
        while time.time() < ende:
            try:
                urllib.request.urlopen(f"{adresse}_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        engine = erstelle_engine(f"sqlite:///{datei}")
        yield adresse, engine
        engine.dispose()
        proc.terminate()
        proc.wait(10)
        log.close()


def _anmelden_beim_anbieter(seite, adresse: str, sub: str) -> None:
    seite.set_default_timeout(60000)  # die Maschine ist oft voll ausgelastet
    seite.goto(adresse, wait_until="domcontentloaded", timeout=60000)
    seite.get_by_role("button", name="Mit Single Sign-on anmelden").click(timeout=60000)
    seite.get_by_text("Authorize Client").wait_for(timeout=30000)  # Seite des Anbieters
    seite.locator('input[name="sub"]').fill(sub)
    seite.get_by_role("button", name="Authorize").click()


def test_sso_teamleitung_bekommt_rolle_und_sozialraum(sso_app, seite, artefakte):
    adresse, engine = sso_app
    assert seite.get_by_label("Passwort", exact=True).count() == 0
    _anmelden_beim_anbieter(seite, adresse, "anna")
    seite.get_by_text("Angemeldet: Anna Weber (Teamleitung ASD)").wait_for(timeout=60000)
    seite.get_by_role("link", name="Pflege").wait_for(timeout=30000)
    seite.screenshot(path=str(artefakte / "sso_angemeldet.png"), full_page=True)
    with sitzung(engine, akteur=None) as s:
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == "anna.weber@mainz.example"))
        sr = s.get(m.Sozialraum, b.sozialraum_id)
        assert (b.rolle, sr.name, b.anzeigename) == ("teamleitung", "Mombach", "Anna Weber")
        assert "Anna Weber" in sr.teamleitung
    # Abmelden meldet auch beim Anbieter ab (sonst wäre man beim nächsten Laden sofort wieder angemeldet)
    for _ in range(3):  # läuft die Seite gerade neu, geht ein Klick verloren
        abmelden = seite.get_by_role("button", name="Abmelden")
        if abmelden.count():
            abmelden.click()
        try:
            seite.wait_for_url("**/oauth2/end_session**", timeout=30000)  # Abmeldeseite des Anbieters
            break
        except Exception:  # noqa: BLE001 - noch einmal
            continue
    seite.get_by_role("heading", name="End Session").wait_for(timeout=60000)
    seite.screenshot(path=str(artefakte / "sso_abmelden.png"), full_page=True)
    if seite.get_by_role("button", name="End session").count():
        seite.get_by_role("button", name="End session").click()
    seite.goto(adresse, wait_until="domcontentloaded", timeout=60000)
    seite.get_by_role("button", name="Mit Single Sign-on anmelden").wait_for(timeout=60000)
    assert seite.get_by_text("Angemeldet:").count() == 0


def test_sso_ohne_passende_gruppe_abgelehnt(sso_app, seite, artefakte):
    adresse, engine = sso_app
    _anmelden_beim_anbieter(seite, adresse, "otto")
    seite.get_by_text("keine Rolle in der Ressourcenkarte").wait_for(timeout=60000)
    assert seite.get_by_text("Angemeldet:").count() == 0
    seite.screenshot(path=str(artefakte / "sso_abgelehnt.png"), full_page=True)
    with sitzung(engine, akteur=None) as s:
        assert s.scalar(select(m.Benutzer).where(m.Benutzer.login == "otto@mainz.example")) is None
