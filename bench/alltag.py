"""Tägliche Arbeit einer Teamleitung im echten Browser, ohne Netz: Seiten wechseln und Speichern bis zur Bestätigung.

Aufruf:  python bench/alltag.py [--runden 3] [--db URL] [--json PFAD] [--login tl01]

Gemessen (Median über die Runden), angemeldet als Teamleitung (Demo-Konto, Passwort „demo“):
- Boden: Seitenwechsel in einer leeren Streamlit-App mit zwei Seiten (`st.navigation`), im selben Lauf;
- je Seite der Navigation: Klick auf den Eintrag, bis die Seite steht (kein Laufanzeiger, nichts veraltet, eine
  Überschrift, 300 ms Ruhe) – dieselbe Regel wie `../shared/acceptance/lib/pages_latency.py`;
- Speichern bis Bestätigung: vom Klick auf den Knopf, bis die Bestätigung zu sehen ist –
  Pflege „Stimmt noch (bestätigen)“ → „Eintrag bestätigt.“, Pflege „Änderungen speichern“ (Kapazität + 1) →
  „Änderungen gespeichert.“, Start „Stimmt noch“ → „… bestätigt.“.
Ziele (Issue 14): jede Seite ≤ Boden + 1,0 s; jedes Speichern ≤ 1,0 s bis zur Bestätigung.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from bench.dashboard import CHROMIUM, WURZEL, nur_lokal, starte_streamlit  # noqa: E402

ZIEL_SEITE_UEBER_BODEN_S = 1.0
ZIEL_SPEICHERN_S = 1.0
SEITEN = ["Start", "Karte", "Sitzungen", "Protokoll", "Budget", "Hospitationen und Reflexion", "Vergleich",
          "Bericht", "Pflege"]
BODEN = ('import streamlit as st\n'
         'def eins(): st.title("Eins"); st.markdown("hallo")\n'
         'def zwei(): st.title("Zwei"); st.markdown("welt")\n'
         'st.navigation([st.Page(eins, title="Eins"), st.Page(zwei, title="Zwei")]).run()\n')
STEHT = """() => !document.querySelector('[data-testid="stStatusWidget"]') &&
  !document.querySelector('[data-stale="true"]') &&
  !!document.querySelector('[data-testid="stMain"] h1, [data-testid="stMain"] h2')"""


def _steht(p: Any, t0: float, grenze_s: float = 30.0) -> float:
    """Sekunden seit `t0`, bis die Seite steht (300 ms ohne Änderung am Zustand)."""
    ruhig = None
    while time.perf_counter() - t0 < grenze_s:
        if p.evaluate(STEHT):
            ruhig = ruhig or time.perf_counter()
            if time.perf_counter() - ruhig >= 0.3:
                return ruhig - t0
        else:
            ruhig = None
        p.wait_for_timeout(25)
    return float("nan")


def _bis_text(p: Any, text: str, t0: float, grenze_s: float = 30.0) -> float:
    """Sekunden seit `t0`, bis eine Erfolgsmeldung (st.success oder Einblendung) `text` enthält."""
    js = """t => [...document.querySelectorAll('[data-testid="stAlertContentSuccess"], [data-testid="stToast"]')]
              .some(e => e.innerText.includes(t))"""
    while time.perf_counter() - t0 < grenze_s:
        if p.evaluate(js, text):
            return time.perf_counter() - t0
        p.wait_for_timeout(10)
    return float("nan")


def _navigiere(p: Any, name: str) -> float:
    link = p.locator('[data-testid="stSidebarNav"] a', has_text=name).first
    if link.count() == 0:
        return float("nan")
    t = time.perf_counter()
    link.click()
    p.wait_for_timeout(30)
    return _steht(p, t)


def boden(url: str, runden: int, browser: Any) -> list[float]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.route("**/*", nur_lokal)
    p = ctx.new_page()
    p.goto(url)
    _steht(p, time.perf_counter())
    werte = [_navigiere(p, name) for _ in range(runden) for name in ("Zwei", "Eins")]
    ctx.close()
    return werte


def _speichern(p: Any, knopf: str, meldung: str) -> float:
    ziel = p.get_by_role("button", name=knopf).first
    ziel.scroll_into_view_if_needed()
    t = time.perf_counter()
    ziel.click()
    dauer = _bis_text(p, meldung, t)
    _steht(p, time.perf_counter())
    return dauer


def alltag(url: str, runden: int, browser: Any, login: str) -> dict[str, list[float]]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.route("**/*", nur_lokal)
    p = ctx.new_page()
    p.goto(url)
    _steht(p, time.perf_counter())
    p.get_by_label("Benutzername").fill(login)
    p.get_by_label("Passwort").fill("demo")
    p.get_by_role("button", name="Anmelden").click()
    p.wait_for_timeout(500)
    _steht(p, time.perf_counter())
    werte: dict[str, list[float]] = {f"seite:{s}": [] for s in SEITEN}
    werte |= {"speichern:pflege_bestaetigen": [], "speichern:pflege_aendern": [], "speichern:start_stimmt_noch": []}
    for _ in range(runden):
        for name in SEITEN:
            werte[f"seite:{name}"].append(_navigiere(p, name))
        # Pflege (zuletzt geöffnet): Reiter „Einrichtung bearbeiten“, bestätigen, dann eine Kapazität ändern
        p.get_by_role("tab", name="Einrichtung bearbeiten").click()
        _steht(p, time.perf_counter())
        werte["speichern:pflege_bestaetigen"].append(_speichern(p, "Stimmt noch (bestätigen)", "Eintrag bestätigt."))
        feld = p.get_by_label("Kapazität (z. B. Plätze)").first
        feld.fill(str(int(feld.input_value() or 0) + 1))
        feld.press("Tab")
        p.wait_for_timeout(300)
        _steht(p, time.perf_counter())
        werte["speichern:pflege_aendern"].append(_speichern(p, "Änderungen speichern", "Änderungen gespeichert."))
        _navigiere(p, "Start")
        werte["speichern:start_stimmt_noch"].append(_speichern(p, "Stimmt noch", "bestätigt."))
    ctx.close()
    return werte


def _median(xs: list[float]) -> float:
    gueltig = [x for x in xs if x == x]
    return statistics.median(gueltig) if gueltig else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Seitenwechsel und Speichern einer Teamleitung im echten Browser.")
    ap.add_argument("--runden", type=int, default=3, help="Messrunden (Median; Standard 3)")
    ap.add_argument("--db", help="Datenbank-URL mit Demo-Daten (Standard: frische SQLite-Demo; wird beschrieben)")
    ap.add_argument("--login", default="tl01", help="Demo-Konto der Teamleitung (Standard tl01)")
    ap.add_argument("--json", type=Path, help="Ergebnis zusätzlich als JSON schreiben")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Fehler: {CHROMIUM} fehlt (apt-get install chromium).", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        ordner = Path(tmp)
        db = args.db or f"sqlite:///{ordner / 'rk.db'}"
        env = dict(os.environ, RESSOURCENKARTE_DB_URL=db, RESSOURCENKARTE_DEMO="true")
        if not args.db:
            rk = shutil.which("ressourcenkarte", path=str(Path(sys.executable).parent)) or "ressourcenkarte"
            subprocess.run([rk, "init", "--demo"], env=env, check=True, capture_output=True)
        (ordner / "boden.py").write_text(BODEN, encoding="utf-8")
        with starte_streamlit(WURZEL / "streamlit_app.py", env, ordner / "app.log") as (_, app_url), \
                starte_streamlit(ordner / "boden.py", env, ordner / "boden.log") as (_, boden_url), \
                sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            roh = {"boden": boden(boden_url, args.runden, b)} | alltag(app_url, args.runden, b, args.login)
            b.close()
    erg: dict[str, Any] = {k: _median(v) for k, v in roh.items()} | {"roh": roh, "runden": args.runden,
                                                                    "last": os.getloadavg()[0]}
    f = erg["boden"]
    ok = True
    print(f"Median aus {args.runden} Runden, angemeldet als {args.login}, ohne Netz; Last: {erg['last']:.1f}")
    print(f"  Boden (Seitenwechsel in leerer App)  : {f:.2f} s")
    for name in SEITEN:
        v = erg[f"seite:{name}"]
        gut = v - f <= ZIEL_SEITE_UEBER_BODEN_S
        ok &= gut
        print(f"  Seite {name:30s}: {v:.2f} s  (Boden +{v - f:.2f} s, Ziel ≤ +1,0) {'✓' if gut else '✗'}")
    for schluessel, text in (("speichern:pflege_bestaetigen", "Pflege „Stimmt noch“ → Bestätigung"),
                             ("speichern:pflege_aendern", "Pflege „Änderungen speichern“ → Bestätigung"),
                             ("speichern:start_stimmt_noch", "Start „Stimmt noch“ → Bestätigung")):
        v = erg[schluessel]
        gut = v <= ZIEL_SPEICHERN_S
        ok &= gut
        print(f"  {text:42s}: {v:.2f} s  (Ziel ≤ 1,0) {'✓' if gut else '✗'}")
    if args.json:
        args.json.write_text(json.dumps(erg, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
