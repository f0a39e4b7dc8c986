"""Benchmark Jahresbericht: alle zehn Mainzer Sozialräume als DOCX und als PDF (Ziel je ≤ 10 s).

Aufruf:  python bench/bericht.py [--json PFAD]

Gemessen wird der Befehl `ressourcenkarte bericht --jahr J PFAD` als eigener Prozess (wie ihn jemand
aufruft: Start, Laden, Vergleich, zehn Kartenbilder plus Stadtkarte, Satz), Median aus 3 Läufen, auf einer
frisch angelegten Demo-Datenbank (SQLite). J ist das Berichtsjahr der Demo (das Vorjahr; 2026 also 2025).
Daneben die Teilzeiten im Prozess.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from daten.demo import demo_jahre  # noqa: E402

RK = shutil.which("ressourcenkarte") or str(Path(sys.executable).parent / "ressourcenkarte")
JAHR = demo_jahre().vorjahr  # die Demo folgt dem Tag: ihr letztes abgeschlossenes Jahr


def _teilzeiten(url: str) -> dict[str, float]:
    from analysen.angebot import bevoelkerungspunkte
    from berichte.bericht import bericht_aus_daten
    from berichte.dokument import als_docx, als_pdf
    from daten.berichtsdaten import lade_berichtsdaten
    from daten.config import lade_kommune
    from daten.db import erstelle_engine
    from daten.geometrie import metrisches_crs

    k = lade_kommune()
    z: dict[str, float] = {}
    t = time.perf_counter()
    daten = lade_berichtsdaten(erstelle_engine(url), k)
    z["laden_s"] = time.perf_counter() - t
    t = time.perf_counter()
    punkte = bevoelkerungspunkte(daten.stadtteile, raster_m=k.versorgung.raster_m, crs_metrisch=metrisches_crs(k))
    dok = bericht_aus_daten(daten, k, jahr=JAHR, punkte=punkte)
    z["bauen_s"] = time.perf_counter() - t
    t = time.perf_counter()
    als_docx(dok)
    z["docx_satz_s"] = time.perf_counter() - t
    t = time.perf_counter()
    als_pdf(dok)
    z["pdf_satz_s"] = time.perf_counter() - t
    return z


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", type=Path)
    a = p.parse_args(argv)
    ordner = Path(tempfile.mkdtemp(prefix="bench_bericht_"))
    url = f"sqlite:///{ordner / 'rk.db'}"
    env = dict(os.environ, RESSOURCENKARTE_DB_URL=url)
    subprocess.run([RK, "init", "--demo"], env=env, check=True, capture_output=True)
    erg: dict[str, float] = {}
    for endung in ("docx", "pdf"):
        zeiten, cpu = [], []
        for _ in range(3):
            vorher = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([RK, "bericht", "--jahr", str(JAHR), str(ordner / f"b.{endung}")], env=env, check=True,
                           capture_output=True)
            zeiten.append(time.perf_counter() - t)
            nachher = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(nachher.ru_utime + nachher.ru_stime - vorher.ru_utime - vorher.ru_stime)
        erg[f"{endung}_s"] = statistics.median(zeiten)
        erg[f"{endung}_cpu_s"] = statistics.median(cpu)
        erg[f"{endung}_bytes"] = (ordner / f"b.{endung}").stat().st_size
    erg |= _teilzeiten(url)
    last = os.getloadavg()[0]
    print(f"Jahresbericht {JAHR}, zehn Sozialräume (Befehl, Median aus 3): DOCX {erg['docx_s']:.1f} s "
          f"(CPU {erg['docx_cpu_s']:.1f} s, {erg['docx_bytes'] / 1e6:.1f} MB), PDF {erg['pdf_s']:.1f} s "
          f"(CPU {erg['pdf_cpu_s']:.1f} s, {erg['pdf_bytes'] / 1e6:.1f} MB); "
          f"Ziel je ≤ 10 s. Last {last:.1f}.")
    print(f"Im Prozess: Laden {erg['laden_s']:.2f} s, Vergleich + Karten + Bausteine {erg['bauen_s']:.2f} s, "
          f"DOCX-Satz {erg['docx_satz_s']:.2f} s, PDF-Satz {erg['pdf_satz_s']:.2f} s")
    if a.json:
        a.json.write_text(json.dumps(erg | {"last": last}, indent=2), encoding="utf-8")
    shutil.rmtree(ordner, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
