"""Importbomben mit den echten Grenzen: jede Datei muss in < 30 s und < 1 GB Speicher abgelehnt werden.

Aufruf:  python bench/importbomben.py [--ordner PFAD]

Je Fall ein eigener Prozess (Spitzenspeicher = ru_maxrss des Kindprozesses). Die Dateien werden in `--ordner`
(Standard: ein temporärer Ordner) erzeugt: klein gepackt, riesig entpackt.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import io  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import zipfile  # noqa: E402

ZIEL_S, ZIEL_MB = 30.0, 1024

_MB = 1024 * 1024


def _grundmappe() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["name", "art", "lat", "lon"])
    puffer = io.BytesIO()
    wb.save(puffer)
    return puffer.getvalue()


def _xlsx_mit(eintrag: str, schreibe) -> bytes:  # noqa: ANN001
    puffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_grundmappe())) as alt, zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in alt.infolist():
            if info.filename != eintrag:
                z.writestr(info, alt.read(info))
        with z.open(eintrag, "w", force_zip64=True) as f:
            schreibe(f)
    return puffer.getvalue()


def _blatt_3gb(f) -> None:  # noqa: ANN001
    f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>")
    zeile = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * (_MB - 60) + b"</t></is></c></row>"
    for _ in range(3 * 1024):
        f.write(zeile)
    f.write(b"</sheetData></worksheet>")


def _gemeinsamer_text_1gib(f) -> None:  # noqa: ANN001
    f.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="1" uniqueCount="1"><si><t>')
    for _ in range(1024):
        f.write(b"y" * _MB)
    f.write(b"</t></si></sst>")


def _zeilen_1048576() -> bytes:
    def schreibe(f) -> None:  # noqa: ANN001
        f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>")
        for r in range(1, 1_048_577):
            f.write(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
        f.write(b"</sheetData></worksheet>")
    return _xlsx_mit("xl/worksheets/sheet1.xml", schreibe)


def _zip_shapefile_bombe() -> bytes:
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as z, z.open("daten.shp", "w", force_zip64=True) as f:
        for _ in range(2 * 1024):
            f.write(b"\0" * _MB)
    return puffer.getvalue()


FAELLE = {
    "xlsx_blatt_3gb.xlsx": lambda: _xlsx_mit("xl/worksheets/sheet1.xml", _blatt_3gb),
    "xlsx_text_1gib.xlsx": lambda: _xlsx_mit("xl/sharedStrings.xml", _gemeinsamer_text_1gib),
    "xlsx_1048576_zeilen.xlsx": _zeilen_1048576,
    "csv_2mio_spalten.csv": lambda: (";".join(f"s{i}" for i in range(2_000_000)) + "\n").encode() * 2,
    "zip_shapefile_2gib.zip": _zip_shapefile_bombe,
}

_KIND = """
import sys, time, resource
sys.path.insert(0, {wurzel!r})
from daten.fehler import RessourcenkarteFehler
from daten.importe.bericht import Bericht
from daten.importe.lesen import Quelle, lies
t = time.perf_counter()
try:
    lies(Quelle.aus_pfad({pfad!r}), Bericht("x"))
    ergebnis = "GELESEN (nicht abgelehnt)"
except RessourcenkarteFehler as exc:
    ergebnis = "abgelehnt: " + str(exc)[:110]
spitze = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{{time.perf_counter() - t:.2f}}\\t{{spitze}}\\t{{ergebnis}}")
"""


def main() -> int:
    arg = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arg.add_argument("--ordner", type=Path)
    a = arg.parse_args()
    ordner = a.ordner or Path(tempfile.mkdtemp(prefix="rk_bomben_"))
    ordner.mkdir(parents=True, exist_ok=True)
    wurzel = str(Path(__file__).resolve().parents[1])
    gut = True
    print(f"{'Datei':28} {'gepackt':>9} {'Zeit s':>7} {'Speicher MB':>12}  Ergebnis")
    for name, erzeuge in FAELLE.items():
        pfad = ordner / name
        if not pfad.exists():
            pfad.write_bytes(erzeuge())
        aus = subprocess.run([sys.executable, "-c", _KIND.format(wurzel=wurzel, pfad=str(pfad))],
                             capture_output=True, text=True, timeout=300)
        if aus.returncode != 0:
            print(f"{name:28} Fehler im Kindprozess: {aus.stderr.strip().splitlines()[-1:]}")
            gut = False
            continue
        sek, mb, ergebnis = aus.stdout.strip().split("\t", 2)
        ok = float(sek) < ZIEL_S and int(mb) < ZIEL_MB and ergebnis.startswith("abgelehnt")
        gut &= ok
        print(f"{name:28} {pfad.stat().st_size / _MB:>7.1f}MB {float(sek):>7.2f} {int(mb):>12}  "
              f"{'✓' if ok else '✗'} {ergebnis}")
    print(f"Ziel: jede Datei abgelehnt in < {ZIEL_S:.0f} s und < {ZIEL_MB} MB Spitzenspeicher: {'✓' if gut else '✗'}")
    return 0 if gut else 1


if __name__ == "__main__":
    raise SystemExit(main())
