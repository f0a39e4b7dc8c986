"""Hilfsfunktionen für Browser-Tests: Streamlit-App als Unterprozess starten."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[2]


def freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def starte_app(db_url: str, log: Path, *, umgebung: dict[str, str] | None = None, skript: str = "streamlit_app.py"):
    """Startet `streamlit run SKRIPT` (Standard: die Anwendung) und wartet auf /_stcore/health; `umgebung` ergänzt
    oder ersetzt Umgebungsvariablen (Standard: Demo-Modus)."""
    port = freier_port()
    env = dict(os.environ, RESSOURCENKARTE_DB_URL=db_url, RESSOURCENKARTE_DEMO="true") | (umgebung or {})
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    proc = subprocess.Popen(
        [streamlit, "run", skript, "--server.headless", "true", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=WURZEL, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    ende = time.time() + 60
    while time.time() < ende:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"Streamlit startete nicht: {log.read_text()[-2000:]}")


@contextlib.contextmanager
def demo_app(demo_sqlite_url: str, ordner: Path):
    """Eigene Kopie der Demo-Datenbank in `ordner`, Streamlit darauf gestartet; liefert (Adresse, DB-URL)."""
    datei = ordner / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    url = f"sqlite:///{datei}"
    proc, adresse = starte_app(url, ordner / "streamlit.log")
    try:
        yield adresse, url
    finally:
        proc.terminate()
        proc.wait(10)


AXE_KANDIDATEN = [Path(os.environ["RK_AXE"]) if os.environ.get("RK_AXE") else None,
                  Path.home() / ".cache/rk-axe/node_modules/axe-core/axe.min.js",
                  WURZEL / "node_modules/axe-core/axe.min.js"]


def axe_js() -> Path:
    """axe-core aus dem npm-Paket (`npm install --prefix ~/.cache/rk-axe axe-core`); fehlt es: skip, mit
    CI=true ein Fehler."""
    import pytest

    for pfad in AXE_KANDIDATEN:
        if pfad is not None and pfad.exists():
            return pfad
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("axe-core fehlt (CI=true): npm install --prefix ~/.cache/rk-axe axe-core")
    pytest.skip("axe-core fehlt: npm install --prefix ~/.cache/rk-axe axe-core")


def axe_pruefung(page) -> dict:  # noqa: ANN001
    """axe-core (WCAG 2.0/2.1 A und AA) in jedem Frame mit Text: ernste/kritische Verstöße und Sprachen."""
    js = axe_js()
    ernst, sprachen = [], []
    for fr in page.frames:
        try:
            if not fr.evaluate("document.body && document.body.innerText.trim().length > 0"):
                continue
            sprachen.append(fr.evaluate("document.documentElement.lang || ''"))
            fr.add_script_tag(path=str(js))
            res = fr.evaluate("t => axe.run(document, {runOnly: t})", ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        except Exception as exc:  # noqa: BLE001 - ein Frame, der beim Laden verschwindet
            ernst.append(f"Frame {fr.url[:50]}: Prüfung fehlgeschlagen ({type(exc).__name__})")
            continue
        ernst += [f"{v['id']} ({len(v['nodes'])}×) in {fr.url[:40]}" for v in res["violations"]
                  if v["impact"] in ("serious", "critical")]
    return {"ernst": ernst, "sprachen": sprachen}


def _rgb(text: str) -> tuple[float, float, float]:
    import re

    werte = [float(x) for x in re.findall(r"[\d.]+", text)[:3]]
    return werte[0], werte[1], werte[2]


def kontrast(vorne: str, hinten: str) -> float:
    """Kontrastverhältnis zweier CSS-Farben rgb(…) nach WCAG 2.1."""
    def hell(rgb: tuple[float, float, float]) -> float:
        k = [c / 255 for c in rgb]
        k = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in k]
        return 0.2126 * k[0] + 0.7152 * k[1] + 0.0722 * k[2]
    a, b = sorted((hell(_rgb(vorne)), hell(_rgb(hinten))), reverse=True)
    return (a + 0.05) / (b + 0.05)
