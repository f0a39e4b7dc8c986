"""Das Dashboard, wie Menschen es erleben: echter Browser, ohne Netz, neben einer leeren Streamlit-Seite.

Aufruf:  python bench/dashboard.py [--runden 5] [--sitzungen 6] [--db URL] [--json PFAD]

Gemessen (Median über die Runden, jede Runde in einem frischen Browser-Kontext ohne Zwischenspeicher):
- Boden: eine leere Streamlit-Seite (Titel und ein Satz) bis der Satz zu sehen ist;
- Karte öffnen: die Karte-Seite bis die Karte gezeichnet ist (Leinwand oder Pfade im Karten-iframe), dazu bis
  die ganze Seite steht (Filter und Anmeldeformular folgen beim ersten Öffnen der Karte, seiten/_vorlauf.py);
- Sozialraum wählen: vom Klick auf die Option bis die Überschrift der Tabelle ihn nennt (Tabelle) und bis
  die Karte ihn zeigt (Kartenrahmen mit aria-label „… Sozialraum X“);
- Speicher je weiterer Browsersitzung: Zuwachs des Streamlit-Prozesses (VmRSS) von einer auf `--sitzungen`
  offene Sitzungen, geteilt durch die weiteren Sitzungen.
Ziele (Issue 7): Karte öffnen ≤ Boden + 0,7 s; Sozialraum → Karte und Tabelle ≤ 0,5 s; ≤ 5 MB je Sitzung.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from typing import Any  # noqa: E402

WURZEL = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ZIEL_OEFFNEN_UEBER_BODEN_S = 0.7
ZIEL_WAHL_S = 0.5
ZIEL_SPEICHER_MB = 5.0
SOZIALRAEUME = ["Mombach", "Gonsenheim", "Bretzenheim", "Oberstadt", "Finthen (mit Layenhof)", "Neustadt",
                "Drais, Lerchenberg, Marienborn"]
BODEN = 'import streamlit as st\nst.title("Boden")\nst.markdown("hallo")\n'
GEZEICHNET = "canvas, path.leaflet-interactive"


def freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def starte_streamlit(skript: Path, env: dict[str, str], log: Path):  # noqa: ANN202
    port = freier_port()
    exe = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    proc = subprocess.Popen([exe, "run", str(skript), "--server.headless", "true", "--server.port", str(port),
                             "--browser.gatherUsageStats", "false"], cwd=WURZEL, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        ende = time.time() + 90
        while time.time() < ende:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"Streamlit startete nicht: {log.read_text()[-1500:]}")
        yield proc, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _rss_mb(pid: int) -> float:
    for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
        if zeile.startswith("VmRSS:"):
            return int(zeile.split()[1]) / 1024
    return float("nan")


def nur_lokal(route: Any) -> None:
    u = route.request.url
    if "127.0.0.1" in u or u.startswith(("data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort()


def _gezeichnet(page: Any) -> bool:
    for fr in page.frames:
        try:
            if fr.locator(GEZEICHNET).count() > 0:
                return True
        except Exception:  # noqa: BLE001, S112 - Frames kommen und gehen beim Laden
            continue
    return False


def _warte(page: Any, bedingung: Any, grenze_s: float = 60.0) -> float:
    t0 = time.perf_counter()
    while not bedingung(page):
        if time.perf_counter() - t0 > grenze_s:
            raise TimeoutError("Zeitgrenze überschritten")
        page.wait_for_timeout(15)
    return time.perf_counter() - t0


def _vollstaendig(page: Any) -> bool:
    """Die ganze Seite steht: Filter neben der Karte und Anmeldeformular in der Seitenleiste."""
    return page.get_by_label("Sozialraum").count() > 0 and page.get_by_label("Passwort", exact=True).count() > 0


def _karte_zeigt(name: str):  # noqa: ANN202
    def pruefe(page: Any) -> bool:
        for fr in page.frames:
            try:
                if fr.evaluate("n => [...document.querySelectorAll('[aria-label]')].some(e => "
                               "e.getAttribute('aria-label').includes('Sozialraum ' + n))", name):
                    return True
            except Exception:  # noqa: BLE001, S112
                continue
        return False
    return pruefe


def _tabelle_zeigt(name: str):  # noqa: ANN202
    return lambda page: page.evaluate(
        "z => [...document.querySelectorAll('h1,h2,h3')].some(h => h.innerText.includes(z))", name)


def miss(app_url: str, boden_url: str, runden: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    werte: dict[str, list[float]] = {"boden": [], "oeffnen": [], "vollstaendig": [], "wahl_tabelle": [],
                                     "wahl_karte": []}
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for i in range(runden):
            ctx = b.new_context(viewport={"width": 1400, "height": 900})
            ctx.route("**/*", nur_lokal)
            p = ctx.new_page()
            t = time.perf_counter()
            p.goto(boden_url)
            p.wait_for_selector("text=hallo", timeout=60000)
            werte["boden"].append(time.perf_counter() - t)
            ctx.close()
            ctx = b.new_context(viewport={"width": 1400, "height": 900})
            ctx.route("**/*", nur_lokal)
            p = ctx.new_page()
            t = time.perf_counter()
            p.goto(app_url)
            _warte(p, _gezeichnet)
            werte["oeffnen"].append(time.perf_counter() - t)
            _warte(p, _vollstaendig)  # Filter und Anmeldung folgen der Karte (seiten/_vorlauf.py)
            werte["vollstaendig"].append(time.perf_counter() - t)
            p.wait_for_timeout(1500)
            ziel = SOZIALRAEUME[i % len(SOZIALRAEUME)]
            p.get_by_label("Sozialraum").first.click()
            p.get_by_role("option", name=ziel, exact=True).click()
            t = time.perf_counter()
            tabelle, karte = _tabelle_zeigt(ziel), _karte_zeigt(ziel)
            fertig: dict[str, float] = {}
            while len(fertig) < 2 and time.perf_counter() - t < 60:
                if "tabelle" not in fertig and tabelle(p):
                    fertig["tabelle"] = time.perf_counter() - t
                if "karte" not in fertig and karte(p):
                    fertig["karte"] = time.perf_counter() - t
                p.wait_for_timeout(15)
            werte["wahl_tabelle"].append(fertig.get("tabelle", float("nan")))
            werte["wahl_karte"].append(fertig.get("karte", float("nan")))
            ctx.close()
        b.close()
    return werte


def speicher_je_sitzung(app_url: str, pid: int, sitzungen: int) -> tuple[float, float, float]:
    """(MB bei einer Sitzung, MB bei `sitzungen`, Zuwachs je weiterer Sitzung)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        offen = []
        for i in range(sitzungen):
            ctx = b.new_context(viewport={"width": 1400, "height": 900})
            ctx.route("**/*", nur_lokal)
            p = ctx.new_page()
            p.goto(app_url)
            _warte(p, _gezeichnet)
            p.wait_for_timeout(1500)
            offen.append(ctx)
            if i == 0:
                eine = _rss_mb(pid)
        p.wait_for_timeout(1500)
        alle = _rss_mb(pid)
        for ctx in offen:
            ctx.close()
        b.close()
    return eine, alle, (alle - eine) / max(1, sitzungen - 1)


def _median(xs: list[float]) -> float:
    gueltig = [x for x in xs if x == x]
    return statistics.median(gueltig) if gueltig else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Dashboard im echten Browser gegen eine leere Streamlit-Seite.")
    ap.add_argument("--runden", type=int, default=5, help="Messrunden (Median; Standard 5)")
    ap.add_argument("--sitzungen", type=int, default=6, help="offene Browsersitzungen für die Speichermessung")
    ap.add_argument("--db", help="Datenbank-URL mit Demo-Daten (Standard: frische SQLite-Demo)")
    ap.add_argument("--json", type=Path, help="Ergebnis zusätzlich als JSON schreiben")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Fehler: {CHROMIUM} fehlt (apt-get install chromium).", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        ordner = Path(tmp)
        db = args.db or f"sqlite:///{ordner / 'rk.db'}"
        env = dict(os.environ, RESSOURCENKARTE_DB_URL=db, RESSOURCENKARTE_DEMO="true")
        if not args.db:
            rk = shutil.which("ressourcenkarte", path=str(Path(sys.executable).parent)) or "ressourcenkarte"
            subprocess.run([rk, "init", "--demo"], env=env, check=True, capture_output=True)
        (ordner / "boden.py").write_text(BODEN, encoding="utf-8")
        with starte_streamlit(WURZEL / "streamlit_app.py", env, ordner / "app.log") as (app, app_url), \
                starte_streamlit(ordner / "boden.py", env, ordner / "boden.log") as (_, boden_url):
            werte = miss(app_url, boden_url, args.runden)
            eine, alle, je = speicher_je_sitzung(app_url, app.pid, args.sitzungen)
    erg = {k: _median(v) for k, v in werte.items()} | {"roh": werte, "rss_eine_mb": eine,
                                                        "rss_alle_mb": alle, "mb_je_sitzung": je,
                                                        "sitzungen": args.sitzungen, "runden": args.runden}
    ueber = erg["oeffnen"] - erg["boden"]
    wahl = max(erg["wahl_tabelle"], erg["wahl_karte"])
    ok = [ueber <= ZIEL_OEFFNEN_UEBER_BODEN_S, wahl <= ZIEL_WAHL_S, je <= ZIEL_SPEICHER_MB]
    zeichen = ["✓" if x else "✗" for x in ok]
    print(f"Median aus {args.runden} Runden (frischer Browser-Kontext, ohne Netz); Last: {os.getloadavg()[0]:.1f}")
    print(f"  leere Streamlit-Seite (Boden) : {erg['boden']:.2f} s")
    print(f"  Karte-Seite bis Karte gezeichnet: {erg['oeffnen']:.2f} s  (Boden +{ueber:.2f} s, Ziel ≤ +0,7)"
          f" {zeichen[0]}")
    print(f"  … bis ganze Seite (Filter, Anmeldung): {erg['vollstaendig']:.2f} s  (folgt der Karte, ohne Ziel)")
    print(f"  Sozialraum wählen → Tabelle   : {erg['wahl_tabelle']:.2f} s")
    print(f"  Sozialraum wählen → Karte     : {erg['wahl_karte']:.2f} s  (Ziel beide ≤ 0,5) {zeichen[1]}")
    print(f"  Speicher je weiterer Sitzung  : {je:.1f} MB  ({eine:.0f} MB bei 1, {alle:.0f} MB bei "
          f"{args.sitzungen} Sitzungen; Ziel ≤ 5) {zeichen[2]}")
    if args.json:
        args.json.write_text(json.dumps(erg, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(ok) else 1


if __name__ == "__main__":
    raise SystemExit(main())
