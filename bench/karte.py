"""Benchmark der Karte: unsere `karte.baue_karte` gegen `GeoDataFrame.explore()` und lonboard in drei Größen.

Aufruf:  python bench/karte.py [--skala mainz|grossstadt|land|alle] [--methoden ours,explore,lonboard] [--json PFAD]

Je Skala und Verfahren: HTML-Bytes, Build-Sekunden (Karte bauen + HTML schreiben, in einem eigenen Prozess mit
Zeit- und Speichergrenze) und Sichtbar-Sekunden (Headless-Chromium, page.goto(file://…) bis Marker/Pfade
sichtbar sind; jede nicht-lokale Anfrage wird abgebrochen). Bei Mainz zusätzlich die Karte-Seite der
Streamlit-App (AppTest): Median warmer Neuläufe, im JSON als `build_s` der Methode `karte_seite_warm`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Als Skript steht bench/ vorne in sys.path: `import karte` fände sonst diese Datei statt des Pakets.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pickle  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from bench import _ausgabe, _daten  # noqa: E402

WURZEL = Path(__file__).resolve().parents[1]
SKALEN = ["mainz", "grossstadt", "land"]
METHODEN = ["ours", "explore", "lonboard"]
WIEDERHOLUNGEN = {"mainz": 5, "grossstadt": 3, "land": 3}  # je höchstens; nach 15 s keine weitere
SPEICHERGRENZE = 20 * 2**30


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Karten-Benchmark: unsere Karte gegen GeoDataFrame.explore().")
    p.add_argument("--skala", choices=[*SKALEN, "alle"], default="mainz", help="Datensatzgröße (Standard: mainz)")
    p.add_argument("--json", type=Path, help="Ergebnisse zusätzlich als JSON-Liste schreiben")
    p.add_argument("--methoden", default=",".join(METHODEN),
                   help=f"Verfahren, mit Komma getrennt (Standard: {','.join(METHODEN)})")
    p.add_argument("--max-build", type=float, default=480, help="Zeitgrenze je Build in Sekunden (Standard 480)")
    p.add_argument("--max-sichtbar", type=float, default=240, help="Zeitgrenze je Browserlauf in s (Standard 240)")
    p.add_argument("--bilder", type=Path, help="Ordner für Bildschirmfotos der ersten Browserläufe")
    p.add_argument("--html", type=Path, help="Ordner, in dem die erzeugten HTML-Dateien bleiben sollen")
    p.add_argument("--ohne-seite", action="store_true", help="Streamlit-Karte-Seite nicht messen")
    p.add_argument("--profil", action="store_true",
                   help="HTML-Bytes nach Teilen ausgeben und den Build mit cProfile aufzeichnen (Ordner --html)")
    p.add_argument("--_arbeiter", nargs="+", help=argparse.SUPPRESS)
    return p


# ---------------------------------------------------------------- Unterprozess (Build bzw. AppTest)

def _arbeiter(auftrag: list[str]) -> int:
    """`build METHODE EINGABE.pkl ZIEL.html N [PROFIL.txt]` oder `seite DB_URL`; Ergebnis als JSON auf stdout."""
    # Speichergrenze im Kind selbst setzen (preexec_fn ist neben Playwrights Threads im Elternprozess unsicher).
    resource.setrlimit(resource.RLIMIT_AS, (SPEICHERGRENZE, SPEICHERGRENZE))
    if auftrag[0] == "seite":
        from bench._streamlit import miss_karte_seite

        print(json.dumps(miss_karte_seite(auftrag[1])))
        return 0
    from bench._methoden import miss_build
    from daten.config import lade_kommune

    methode, eingabe, ziel, n = auftrag[1], Path(auftrag[2]), Path(auftrag[3]), int(auftrag[4])
    argumente, kommune = pickle.loads(eingabe.read_bytes()), lade_kommune()
    if len(auftrag) > 5:  # cProfile: ein zusätzlicher, nicht gemessener Lauf
        import cProfile
        import io
        import pstats

        profil = cProfile.Profile()
        profil.runcall(miss_build, methode, argumente, kommune, ziel, 1)
        text = io.StringIO()
        pstats.Stats(profil, stream=text).sort_stats("cumulative").print_stats(40)
        Path(auftrag[5]).write_text(text.getvalue(), encoding="utf-8")
    print(json.dumps(miss_build(methode, argumente, kommune, ziel, n)))
    return 0


def _im_prozess(auftrag: list[str], zeitlimit_s: float) -> tuple[dict[str, Any] | None, str | None]:
    """Führt einen Auftrag im Unterprozess aus → (Ergebnis, Hinweis bei Abbruch)."""
    befehl = [sys.executable, str(Path(__file__).resolve()), "--_arbeiter", *auftrag]
    try:
        lauf = subprocess.run(befehl, cwd=WURZEL, capture_output=True, text=True, timeout=zeitlimit_s)
    except subprocess.TimeoutExpired:
        return None, f"abgebrochen: > {zeitlimit_s:g} s"
    if lauf.returncode != 0:
        letzte = (lauf.stderr.strip().splitlines() or ["?"])[-1][:160]
        if "MemoryError" in lauf.stderr:
            letzte = f"Speicher > {SPEICHERGRENZE / 2**30:g} GiB"
        return None, f"abgebrochen: {letzte}"
    return json.loads(lauf.stdout.strip().splitlines()[-1]), None


# ---------------------------------------------------------------- Messung je Skala

def _lade(skala: str, kommune: Any, ordner: Path) -> tuple[dict[str, Any], str, str]:
    if skala == "mainz":
        return _daten.lade_mainz_demo(kommune, ordner)
    return _daten.synthetische_daten(_daten.SKALEN[skala], kommune), "", "synthetisch"


def _zeile(skala: str, methode: str, argumente: dict[str, Any], **werte: Any) -> dict[str, Any]:
    return {"skala": skala, "methode": methode, "polygone": len(argumente["stadtteile"]),
            "einrichtungen": len(argumente["einrichtungen"]), "bytes": werte.get("bytes"),
            "build_s": werte.get("build_s"), "build_cpu_s": werte.get("build_cpu_s"),
            "visible_s": werte.get("visible_s"), "hinweis": werte.get("hinweis")}


def _sichtbar_optionen(methode: str) -> tuple[dict[str, Any], str | None]:
    """Zusätzliche Optionen der Sichtbarkeitsmessung; bei lonboard ein Grund, falls es nicht messbar ist."""
    if methode != "lonboard":
        return {}, None
    from bench import _lonboard

    try:
        return {"pruefung": _lonboard.SICHTBAR_JS, "lokal": _lonboard.lokale_antworten()}, None
    except _lonboard.NichtMessbar as exc:
        return {}, str(exc)


def _miss_methode(skala: str, methode: str, eingabe: Path, ordner: Path, browser: Any,
                  args: argparse.Namespace) -> dict[str, Any]:
    from bench._browser import miss_sichtbar

    optionen, grund = _sichtbar_optionen(methode)
    if grund:
        return {"build_s": None, "hinweis": f"nicht gemessen: {grund}"}
    ziel = ordner / f"{skala}_{methode}.html"
    auftrag = ["build", methode, str(eingabe), str(ziel), str(WIEDERHOLUNGEN[skala])]
    if args.profil:
        auftrag.append(str(ordner / f"cprofile_{skala}_{methode}.txt"))
    build, abbruch = _im_prozess(auftrag, args.max_build)
    if build is None:
        return {"build_s": None, "hinweis": abbruch}
    hinweise = [f"baue {build['baue_s']:.2f} s + speichern {build['speichern_s']:.2f} s ({build['laeufe']}× gebaut); "
                f"CPU {build['build_cpu_s']:.2f} s"]
    bild = args.bilder / f"{skala}_{methode}.png" if args.bilder else None
    sicht = miss_sichtbar(browser, ziel, zeitlimit_s=args.max_sichtbar, wiederholungen=WIEDERHOLUNGEN[skala],
                          bild=bild, **optionen)
    if methode == "lonboard":
        hinweise.append("sichtbar = erstes Bild mit gezeichneten Pixeln auf der WebGL-Leinwand")
    if sicht.laeufe:
        hinweise.append(f"sichtbar: Median aus {sicht.laeufe} Browserläufen")
    if sicht.hinweis:
        hinweise.append(sicht.hinweis)
    if args.profil:
        from bench._profil import profil_text

        print(profil_text(ziel), f"\n  cProfile des Builds: {ordner / f'cprofile_{skala}_{methode}.txt'}", flush=True)
    if args.html is None:
        ziel.unlink(missing_ok=True)
    return {"bytes": build["bytes"], "build_s": build["build_s"], "build_cpu_s": build["build_cpu_s"],
            "visible_s": sicht.sekunden, "hinweis": "; ".join(hinweise)}


def _miss_skala(skala: str, kommune: Any, ordner: Path, browser: Any,
                args: argparse.Namespace) -> tuple[list[dict[str, Any]], str]:
    t0 = time.perf_counter()
    argumente, db_url, quelle = _lade(skala, kommune, ordner)
    print(f"[{skala}] Daten: {quelle}, {len(argumente['stadtteile'])} Polygone, "
          f"{len(argumente['einrichtungen'])} Einrichtungen, {len(argumente['netzwerk_kanten'])} Netzwerkkanten "
          f"({time.perf_counter() - t0:.1f} s)", flush=True)
    eingabe = ordner / f"{skala}.pkl"
    eingabe.write_bytes(pickle.dumps(argumente, protocol=pickle.HIGHEST_PROTOCOL))
    zeilen = []
    for methode in [m.strip() for m in args.methoden.split(",") if m.strip()]:
        t0 = time.perf_counter()
        werte = _miss_methode(skala, methode, eingabe, args.html or ordner, browser, args)
        zeilen.append(_zeile(skala, methode, argumente, **werte))
        print(f"[{skala}] {methode}: fertig nach {time.perf_counter() - t0:.1f} s", flush=True)
    if quelle != "Demo-Datenbank":
        for z in zeilen:
            z["hinweis"] = "; ".join(filter(None, [f"Daten: {quelle}", z["hinweis"]]))
    return zeilen, db_url


def _miss_seite(db_url: str, argumente_zeile: dict[str, Any]) -> dict[str, Any]:
    ergebnis, abbruch = _im_prozess(["seite", db_url], 300)
    zeile = {**argumente_zeile, "methode": "karte_seite_warm", "bytes": None, "visible_s": None}
    if ergebnis is None:
        return {**zeile, "build_s": None, "hinweis": abbruch}
    warm = ", ".join(f"{w:.3f}" for w in ergebnis["warm_alle_s"])
    hinweis = f"Median warmer Neuläufe ({warm}); kalter Lauf {ergebnis['kalt_s']:.2f} s"
    return {**zeile, "build_s": ergebnis["warm_s"], "hinweis": hinweis}


def _last() -> str:
    return " / ".join(f"{w:.1f}" for w in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args._arbeiter:
        return _arbeiter(args._arbeiter)
    unbekannt = {m.strip() for m in args.methoden.split(",") if m.strip()} - set(METHODEN)
    if unbekannt:
        parser.error(f"unbekannte Methode(n) {', '.join(sorted(unbekannt))}; erlaubt: {', '.join(METHODEN)}")
    from bench._browser import chromium
    from daten.config import lade_kommune

    if args.profil and args.html is None:
        args.html = Path(tempfile.mkdtemp(prefix="bench_profil_"))
    for ordner in (args.bilder, args.html):
        if ordner:
            ordner.mkdir(parents=True, exist_ok=True)
    print(f"Systemlast (1/5/15 min) zu Beginn: {_last()} – andere Prozesse verfälschen die Zeiten.", flush=True)
    skalen = SKALEN if args.skala == "alle" else [args.skala]
    kommune = lade_kommune()
    ergebnisse: list[dict[str, Any]] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_karte_") as tmp, chromium() as browser:
        for skala in skalen:
            zeilen, db_url = _miss_skala(skala, kommune, Path(tmp), browser, args)
            ergebnisse += zeilen
            if skala == "mainz" and not args.ohne_seite:
                if db_url:
                    ergebnisse.append(_miss_seite(db_url, zeilen[0]))
                else:
                    print("[mainz] Karte-Seite nicht gemessen: keine Demo-Datenbank.", flush=True)
    print()
    print(_ausgabe.tabelle(ergebnisse))
    print()
    print(_ausgabe.ziele(ergebnisse))
    print(f"\nGesamtdauer: {time.perf_counter() - start:.0f} s; Systemlast am Ende: {_last()}")
    if args.json:
        args.json.write_text(json.dumps(ergebnisse, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"JSON geschrieben: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
