"""Last über den Proxy: N gleichzeitige Browsersitzungen öffnen die Karte und wählen einen Sozialraum.

    python deploy/last.py --url https://127.0.0.1:8443/ --sitzungen 20 --pid 1234 --pid 1235

Gibt Zahlen aus, prüft keine Grenzen (kein Zeittest; Ergebnisse in docs/Messwerte.md):
- Seite öffnen: vom Aufruf bis die Karte gezeichnet ist (Leaflet-Leinwand oder -Pfad im Karten-iframe);
- Sozialraum wählen: vom Klick auf die Option bis Überschrift der Tabelle UND Karte ihn nennen;
- je Instanz (Prozess-ID) der Speicher (RSS aus /proc/PID/status) vor der Last und der höchste währenddessen.
Alle Sitzungen sind Kontexte EINES Chromium (eigene Cookies, also je Sitzung ein eigenes rk_instanz-Cookie
und damit eine eigene Instanzwahl in nginx); Anfragen an fremde Server werden abgebrochen.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
GEZEICHNET = "canvas, path.leaflet-interactive"
SOZIALRAEUME = ["Mombach", "Gonsenheim", "Bretzenheim", "Oberstadt", "Finthen (mit Layenhof)", "Neustadt",
                "Drais, Lerchenberg, Marienborn"]


def perzentil(werte: list[float], p: float) -> float:
    """p-Perzentil (0–100) nach der Methode „nächster Rang“; NaN (gescheiterte Messung) zählt nicht."""
    gut = sorted(w for w in werte if not math.isnan(w))
    if not gut:
        return math.nan
    rang = max(1, math.ceil(p / 100 * len(gut)))
    return gut[rang - 1]


def rss_mb(pid: int) -> float:
    try:
        for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
            if zeile.startswith("VmRSS:"):
                return int(zeile.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


def cpu_s(pid: int) -> float:
    """Rechenzeit (Benutzer + System) des Prozesses in Sekunden, aus /proc/PID/stat."""
    try:
        felder = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(felder[11]) + int(felder[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return math.nan


def maschine_cpu_s() -> float:
    """Rechenzeit aller Kerne der Maschine (ohne Leerlauf) in Sekunden, aus /proc/stat."""
    werte = [int(w) for w in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(werte) - werte[3] - werte[4]) / os.sysconf("SC_CLK_TCK")


async def _gezeichnet(p) -> bool:  # noqa: ANN001
    for fr in p.frames:
        try:
            if await fr.locator(GEZEICHNET).count() > 0:
                return True
        except Exception:  # noqa: BLE001, S112 - Frames kommen und gehen beim Laden
            continue
    return False


async def _zeigt(p, name: str) -> bool:  # noqa: ANN001
    """Tabelle (Überschrift) und Karte (aria-label „… Sozialraum NAME“) zeigen den gewählten Sozialraum."""
    try:
        tabelle = await p.evaluate(
            "z => [...document.querySelectorAll('h1,h2,h3')].some(h => h.innerText.includes(z))", name)
    except Exception:  # noqa: BLE001 - Seite läuft gerade neu
        return False
    if not tabelle:
        return False
    for fr in p.frames:
        try:
            if await fr.evaluate("n => [...document.querySelectorAll('[aria-label]')].some(e => "
                                 "e.getAttribute('aria-label').includes('Sozialraum ' + n))", name):
                return True
        except Exception:  # noqa: BLE001, S112
            continue
    return False


async def _warte(p, bedingung, grenze_s: float = 180.0) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    while not await bedingung():
        if time.perf_counter() - t0 > grenze_s:
            return math.nan
        await p.wait_for_timeout(30)
    return time.perf_counter() - t0


async def _sitzung(browser, url: str, i: int, start: asyncio.Event) -> tuple[float, float]:  # noqa: ANN001
    host = urlsplit(url).hostname
    ctx = await browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 900})

    async def route(r) -> None:  # noqa: ANN001
        u = r.request.url
        if u.startswith(("data:", "blob:", "about:")) or urlsplit(u).hostname == host:
            await r.continue_()
        else:
            await r.abort()

    await ctx.route("**/*", route)
    p = await ctx.new_page()
    p.set_default_timeout(180000)
    await start.wait()
    try:
        t0 = time.perf_counter()
        await p.goto(url, wait_until="domcontentloaded")
        await _warte(p, lambda: _gezeichnet(p))
        oeffnen = time.perf_counter() - t0
        ziel = SOZIALRAEUME[i % len(SOZIALRAEUME)]
        wahl = math.nan
        for _ in range(5):  # läuft die Seite noch, schließt sich die Liste wieder
            await p.get_by_label("Sozialraum").first.click()
            try:
                await p.get_by_role("option", name=ziel, exact=True).first.click(timeout=5000)
            except Exception:  # noqa: BLE001 - erneut öffnen
                await p.keyboard.press("Escape")
                await p.wait_for_timeout(500)
                continue
            wahl = await _warte(p, lambda: _zeigt(p, ziel))
            break
        return oeffnen, wahl
    except Exception as exc:  # noqa: BLE001 - eine gescheiterte Sitzung zählt als NaN, die Messung läuft weiter
        print(f"  Sitzung {i}: {type(exc).__name__}: {str(exc)[:200]}", file=sys.stderr)
        return math.nan, math.nan
    finally:
        await ctx.close()


async def miss(url: str, sitzungen: int, pids: list[int]) -> dict:
    from playwright.async_api import async_playwright

    vorher = {pid: rss_mb(pid) for pid in pids}
    hoechst = dict(vorher)
    cpu_vorher, maschine_vorher = {pid: cpu_s(pid) for pid in pids}, maschine_cpu_s()
    fertig = asyncio.Event()

    async def speicher() -> None:
        while not fertig.is_set():
            for pid in pids:
                hoechst[pid] = max(hoechst[pid], rss_mb(pid))
            await asyncio.sleep(0.25)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        start = asyncio.Event()
        aufgaben = [asyncio.create_task(_sitzung(browser, url, i, start)) for i in range(sitzungen)]
        beobachter = asyncio.create_task(speicher())
        await asyncio.sleep(1)
        t0 = time.perf_counter()
        start.set()
        ergebnisse = await asyncio.gather(*aufgaben)
        gesamt = time.perf_counter() - t0
        fertig.set()
        await beobachter
        await browser.close()
    oeffnen = [e[0] for e in ergebnisse]
    wahl = [e[1] for e in ergebnisse]
    return {
        "sitzungen": sitzungen,
        "gescheitert": sum(1 for a, b in ergebnisse if math.isnan(a) or math.isnan(b)),
        "oeffnen_p50": perzentil(oeffnen, 50), "oeffnen_p95": perzentil(oeffnen, 95),
        "wahl_p50": perzentil(wahl, 50), "wahl_p95": perzentil(wahl, 95),
        "gesamt_s": gesamt,
        "rss_vorher_mb": {str(p): vorher[p] for p in pids},
        "rss_hoechst_mb": {str(p): hoechst[p] for p in pids},
        "rss_nachher_mb": {str(p): rss_mb(p) for p in pids},
        # Rechenzeit der Instanzen und der ganzen Maschine während der Messung: der Rest sind die Browser
        "cpu_instanzen_s": sum(cpu_s(p) - cpu_vorher[p] for p in pids),
        "cpu_maschine_s": maschine_cpu_s() - maschine_vorher,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True, help="Adresse der Karte über den Proxy, z. B. https://127.0.0.1:8443/")
    ap.add_argument("--sitzungen", type=int, default=20)
    ap.add_argument("--pid", type=int, action="append", default=[], help="Prozess-ID einer Instanz (mehrfach)")
    ap.add_argument("--titel", default="")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Fehler: {CHROMIUM} fehlt (apt-get install chromium).", file=sys.stderr)
        return 1
    erg = asyncio.run(miss(args.url, args.sitzungen, args.pid))
    print(f"== Last {args.titel}: {erg['sitzungen']} gleichzeitige Sitzungen über {args.url} "
          f"({len(args.pid)} Instanz(en)), gescheitert: {erg['gescheitert']}, gesamt {erg['gesamt_s']:.1f} s")
    print(f"  Karte öffnen      p50 {erg['oeffnen_p50']:6.2f} s   p95 {erg['oeffnen_p95']:6.2f} s")
    print(f"  Sozialraum wählen p50 {erg['wahl_p50']:6.2f} s   p95 {erg['wahl_p95']:6.2f} s")
    for pid in args.pid:
        print(f"  Instanz PID {pid}: RSS vorher {erg['rss_vorher_mb'][str(pid)]:.0f} MB, höchstens "
              f"{erg['rss_hoechst_mb'][str(pid)]:.0f} MB, nachher {erg['rss_nachher_mb'][str(pid)]:.0f} MB")
    if args.pid and erg["sitzungen"]:
        je = erg["cpu_instanzen_s"] / erg["sitzungen"]
        anteil = 100 * erg["cpu_instanzen_s"] / erg["cpu_maschine_s"] if erg["cpu_maschine_s"] else math.nan
        print(f"  Rechenzeit der Instanzen: {erg['cpu_instanzen_s']:.1f} s, je Sitzung (öffnen + wählen) {je:.2f} s; "
              f"{anteil:.0f} % der Rechenzeit der Maschine ({erg['cpu_maschine_s']:.1f} s), der Rest sind die "
              f"{erg['sitzungen']} Browser auf derselben Maschine")
        print(f"  Abschätzung: ein Kern trägt bei dieser Arbeit etwa {60 / je:.0f} Sitzungen je Minute" if je else "")
    print("  JSON " + json.dumps(erg, ensure_ascii=False))
    return 1 if erg["gescheitert"] == erg["sitzungen"] else 0


if __name__ == "__main__":
    sys.exit(main())
