"""Befehle `vergleich` und `bericht` als eigener Prozess: Dateien, deutsche Fehlerzeile, Exit-Code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from daten.demo import demo_jahre

RK = shutil.which("ressourcenkarte") or str(Path(sys.executable).parent / "ressourcenkarte")
JAHR = demo_jahre().vorjahr  # Berichtsjahr der Demo (mit heute geladen): das letzte abgeschlossene Jahr


def rk(*args: str, url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, RESSOURCENKARTE_DB_URL=url)
    return subprocess.run([RK, *args], capture_output=True, text=True, env=env, timeout=300)


def test_vergleich_csv_und_xlsx(demo_sqlite_url, tmp_path):
    r = rk("vergleich", "--jahr", str(JAHR), str(tmp_path / "v.csv"), url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    assert "15 Stadtteile, 10 Sozialräume" in r.stdout
    df = pd.read_csv(tmp_path / "v.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert list(df["Ebene"].value_counts().sort_index()) == [10, 15]
    sgb2 = "Kinder unter 15 in SGB-II-Bedarfsgemeinschaften (%)"
    # deutsche Köpfe aus der Konfiguration; der z-Wert heißt wie sein Rohwert mit „z_“ davor
    assert df["Bedarfsindex (Standardabweichungen)"].dtype == float and sgb2 in df and f"z_{sgb2}" in df
    assert not [k for k in df.columns if k.islower() and "_" in k]  # keine Maschinennamen
    r = rk("vergleich", "--jahr", str(JAHR - 1), str(tmp_path / "v.xlsx"), url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    x = pd.read_excel(tmp_path / "v.xlsx")
    assert set(x["Jahr"]) == {JAHR - 1} and len(x) == 25
    wb = openpyxl.load_workbook(tmp_path / "v.xlsx")
    assert wb.sheetnames == [f"Vergleich {JAHR - 1}", "Erläuterungen"]
    ws = wb.worksheets[0]
    kopf = [c.value for c in ws[1]]
    ew = ws.cell(row=2, column=kopf.index("Einwohnerinnen und Einwohner (Personen)") + 1)
    assert isinstance(ew.value, int) and ew.number_format == "#,##0"  # 30.897, nicht „30897,0“
    idx = ws.cell(row=2, column=kopf.index("Bedarfsindex (Standardabweichungen)") + 1)
    assert isinstance(idx.value, float) and idx.number_format == "#,##0.00" and round(idx.value, 4) == idx.value
    assert "Bivariat" not in kopf and "bivariat" not in kopf  # Farbcodes und „B3V3“ gehören nicht in die Tabelle
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")


def test_bericht_docx_und_pdf(demo_sqlite_url, tmp_path):
    r = rk("bericht", "--jahr", str(JAHR), "--sozialraum", "Mombach", "--art", "bereich", str(tmp_path / "b.docx"),
           url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b.docx").read_bytes()[:2] == b"PK" and (tmp_path / "b.docx").stat().st_size > 10_000
    # beide Formate in einem Lauf: einmal gerechnet und gezeichnet
    r = rk("bericht", "--jahr", str(JAHR), "--sozialraum", "Mombach", "--art", "bereich", str(tmp_path / "c.pdf"),
           str(tmp_path / "c.docx"), url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "c.pdf").read_bytes()[:4] == b"%PDF" and (tmp_path / "c.docx").read_bytes()[:2] == b"PK"
    assert "c.pdf" in r.stdout and "c.docx" in r.stdout


@pytest.mark.parametrize("args", [
    ["vergleich", "--jahr", str(JAHR), "{tmp}/v.txt"],
    ["vergleich", "--jahr", "1995", "{tmp}/v.csv"],
    ["vergleich", "{tmp}/v.csv"],
    ["vergleich", "--jahr", str(JAHR), "--raster", "{tmp}/fehlt.csv", "{tmp}/v.csv"],
    ["bericht", "--jahr", str(JAHR), "{tmp}/b.odt"],
    ["bericht", "--jahr", str(JAHR), "--art", "bereich", "{tmp}/b.pdf"],
    ["bericht", "--jahr", str(JAHR), "--sozialraum", "Atlantis", "{tmp}/b.pdf"],
    ["bericht", "--jahr", str(JAHR), "/gibtsnicht/b.pdf"],
    ["bericht", "--jahr", str(JAHR), "{tmp}/b.pdf", "{tmp}/b.odt"],  # nichts geschrieben, auch nicht b.pdf
])
def test_falsche_eingaben_eine_deutsche_zeile(args, demo_sqlite_url, tmp_path):
    r = rk(*[a.format(tmp=tmp_path) for a in args], url=demo_sqlite_url)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr + r.stdout
    zeilen = [z for z in r.stderr.splitlines() if z.strip()]
    assert len(zeilen) == 1 and zeilen[0].startswith("Fehler:"), r.stderr
    assert not list(tmp_path.glob("v.*")) and not list(tmp_path.glob("b.*"))


def test_vergleich_mit_zensusraster(demo_sqlite_url, tmp_path):
    # Zensus-2022-Format: Zellmittelpunkte in EPSG:3035; eine bewohnte Zelle in der Neustadt, eine geheim („–“)
    (tmp_path / "zensus.csv").write_text(
        "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n"
        "CRS3035RES100mN2989950E4196250;4196250;2989950;120\n"
        "CRS3035RES100mN2989850E4196250;4196250;2989850;–\n", encoding="utf-8")
    r = rk("vergleich", "--jahr", str(JAHR), "--raster", str(tmp_path / "zensus.csv"), str(tmp_path / "v.csv"),
           url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(tmp_path / "v.csv", sep=";", decimal=",", encoding="utf-8-sig")
    st = df[df["Ebene"] == "Stadtteil"].set_index("Gebiet")
    # nur die Neustadt hat Rasterbevölkerung: dort 0 oder 100 % versorgt, anderswo keine Angabe
    assert st.loc["Neustadt", "Versorgungsgrad Kita (%)"] in (0, 100)
    assert st["Versorgungsgrad Kita (%)"].notna().sum() == 1
