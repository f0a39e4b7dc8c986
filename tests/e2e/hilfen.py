"""Hilfsfunktionen für Browser-Tests: Streamlit-App als Unterprozess starten."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[2]


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def starte_app(db_url: str, log: Path):
    """Startet `streamlit run streamlit_app.py` und wartet auf /_stcore/health."""
    port = _freier_port()
    env = dict(os.environ, RESSOURCENKARTE_DB_URL=db_url, RESSOURCENKARTE_DEMO="true")
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    proc = subprocess.Popen(
        [streamlit, "run", "streamlit_app.py", "--server.headless", "true", "--server.port", str(port),
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
