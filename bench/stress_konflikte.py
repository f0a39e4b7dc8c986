"""Belastungsprobe der Pflege: viele gleichzeitige, sich widersprechende Bearbeitungen derselben Einrichtung.

    python bench/stress_konflikte.py postgis [--threads 20 --edits 50] [--url postgresql+psycopg://…]
    python bench/stress_konflikte.py sqlite  [--prozesse 2 --edits 200]

Jede Bearbeitung geht durch die Dienstschicht wie im Dashboard: aktuellen Stand lesen, dann
`aendere_einrichtung(version=gelesen, kapazitaet=gelesen+1, angebote=gelesen+[Kennung])` über
`daten.dienste.ausfuehren`. Gemessen wird, ob Änderungen verloren gehen (Endwert ≠ Start + Erfolge
oder eine erfolgreiche Kennung fehlt), ob jede Ablehnung ein KonfliktFehler ist, und ob je Erfolg genau
eine Protokollzeile entsteht. Auf PostGIS laufen Threads gegen eine frische Datenbank, auf SQLite
mehrere Prozesse gegen dieselbe Datei (wie zwei Dashboard-Prozesse). Ohne --url wird auf PostGIS eine
Wegwerf-Datenbank unter RESSOURCENKARTE_TEST_PG_URL angelegt und danach gelöscht.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PG_URL = os.environ.get("RESSOURCENKARTE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@dataclass
class Ergebnis:
    versuche: int = 0
    erfolge: int = 0
    ablehnungen: Counter = field(default_factory=Counter)  # Art der Ablehnung → Anzahl
    beispiele: dict = field(default_factory=dict)  # Art → eine Meldung
    kennungen: list = field(default_factory=list)  # Kennungen erfolgreicher Bearbeitungen
    sekunden: float = 0.0

    def dazu(self, anderes: Ergebnis) -> None:
        self.versuche += anderes.versuche
        self.erfolge += anderes.erfolge
        self.ablehnungen.update(anderes.ablehnungen)
        self.beispiele |= anderes.beispiele
        self.kennungen += anderes.kennungen


def vorbereiten(url: str) -> int:
    """Schema, Konfiguration, eine Stadtteil-Fläche und eine Kita; gibt deren id zurück."""
    import shapely
    from sqlalchemy import select

    from daten import dienste
    from daten import modelle as m
    from daten.config import lade_kommune
    from daten.db import erstelle_engine, sitzung
    from daten.dienste import einrichtungen as de
    from daten.laden import initialisiere
    from daten.politik import SYSTEM

    kommune = lade_kommune()
    engine = erstelle_engine(url)
    initialisiere(engine, kommune)
    with sitzung(engine, akteur=SYSTEM) as s:
        st = s.scalar(select(m.Stadtteil).order_by(m.Stadtteil.id))
        st.geometrie = shapely.box(8.20, 49.95, 8.30, 50.05)
    e = dienste.ausfuehren(engine, SYSTEM, de.lege_einrichtung_an, kommune=kommune, name="Kita Belastungsprobe",
                           art="kita", traeger_art="frei", punkt=shapely.Point(8.25, 50.0), kapazitaet=0)
    engine.dispose()
    return e.id


DENKZEIT_S = 0.003  # zwischen Lesen und Speichern, wie eine Person am Formular (vergrößert die Überschneidung)


def bearbeite(engine, eid: int, edits: int, kennung: str, versuche: int | None = None) -> Ergebnis:  # noqa: ANN001
    """`edits` Bearbeitungen nacheinander, jede auf dem gerade gelesenen Stand."""
    from daten import dienste
    from daten import modelle as m
    from daten.config import lade_kommune
    from daten.db import sitzung
    from daten.dienste import einrichtungen as de
    from daten.fehler import RessourcenkarteFehler
    from daten.politik import Akteur

    kommune = lade_kommune()
    akteur = Akteur(f"last-{kennung}"[:80], "admin")
    erg = Ergebnis()
    for i in range(edits):
        marke = f"{kennung}-{i}"
        erg.versuche += 1
        try:
            with sitzung(engine, akteur=None) as s:
                e = s.get(m.Einrichtung, eid)
                version, kap, angebote = e.version, e.kapazitaet or 0, list(e.angebote or [])
            time.sleep(DENKZEIT_S)
            dienste.ausfuehren(engine, akteur, de.aendere_einrichtung, einrichtung_id=eid, version=version,
                               kommune=kommune,
                               kapazitaet=kap + 1, angebote=[*angebote, marke],
                               versuche=versuche or dienste.VERSUCHE)
        except RessourcenkarteFehler as exc:
            art = type(exc).__name__
            erg.ablehnungen[art] += 1
            erg.beispiele.setdefault(art, str(exc))
        except Exception as exc:  # noqa: BLE001 - genau das soll die Probe finden: alles außer deutschen Meldungen
            art = f"UNERWARTET {type(exc).__name__}"
            erg.ablehnungen[art] += 1
            erg.beispiele.setdefault(art, str(exc).splitlines()[0][:200])
        else:
            erg.erfolge += 1
            erg.kennungen.append(marke)
    return erg


def laufe_threads(url: str, eid: int, *, threads: int, edits: int) -> Ergebnis:
    from daten.db import erstelle_engine

    engine = erstelle_engine(url)
    gesamt, sperre = Ergebnis(), threading.Lock()
    start = threading.Barrier(threads)

    def arbeit(n: int) -> None:
        start.wait()
        erg = bearbeite(engine, eid, edits, f"t{n}")
        with sperre:
            gesamt.dazu(erg)

    t0 = time.perf_counter()
    alle = [threading.Thread(target=arbeit, args=(n,)) for n in range(threads)]
    for t in alle:
        t.start()
    for t in alle:
        t.join()
    gesamt.sekunden = time.perf_counter() - t0
    engine.dispose()
    return gesamt


def _prozess(url: str, eid: int, edits: int, kennung: str, start, ausgabe, versuche) -> None:  # noqa: ANN001
    from daten.db import erstelle_engine

    engine = erstelle_engine(url)
    start.wait()
    erg = bearbeite(engine, eid, edits, kennung, versuche)
    # als einfache Daten zurück: die Klasse hieße im Kindprozess anders (__mp_main__)
    ausgabe.put({"versuche": erg.versuche, "erfolge": erg.erfolge, "ablehnungen": dict(erg.ablehnungen),
                 "beispiele": erg.beispiele, "kennungen": erg.kennungen})
    engine.dispose()


def laufe_prozesse(url: str, eid: int, *, prozesse: int, edits: int, versuche: int | None = None) -> Ergebnis:
    """Wie zwei (oder mehr) Dashboard-Prozesse: getrennte Prozesse, dieselbe Datenbankdatei."""
    ctx = mp.get_context("spawn")
    start, ausgabe = ctx.Barrier(prozesse), ctx.Queue()
    t0 = time.perf_counter()
    alle = [ctx.Process(target=_prozess, args=(url, eid, edits, f"p{n}", start, ausgabe, versuche))
            for n in range(prozesse)]
    for p in alle:
        p.start()
    gesamt = Ergebnis()
    for _ in alle:
        d = ausgabe.get(timeout=600)
        gesamt.dazu(Ergebnis(d["versuche"], d["erfolge"], Counter(d["ablehnungen"]), d["beispiele"], d["kennungen"]))
    for p in alle:
        p.join(60)
    gesamt.sekunden = time.perf_counter() - t0
    return gesamt


@dataclass(frozen=True)
class Pruefung:
    kapazitaet: int
    verloren: int  # Erfolge, deren Wirkung fehlt
    fehlende_kennungen: int
    protokollzeilen: int  # „aendern“-Zeilen der Einrichtung


def pruefe(url: str, eid: int, erg: Ergebnis) -> Pruefung:
    from sqlalchemy import func, select

    from daten import modelle as m
    from daten.db import erstelle_engine, sitzung

    engine = erstelle_engine(url)
    with sitzung(engine, akteur=None) as s:
        e = s.get(m.Einrichtung, eid)
        zeilen = s.scalar(select(func.count()).select_from(m.Aenderung).where(
            m.Aenderung.tabelle == "einrichtung", m.Aenderung.datensatz_id == eid, m.Aenderung.aktion == "aendern"))
        kap, angebote = e.kapazitaet or 0, set(e.angebote or [])
    engine.dispose()
    return Pruefung(kap, erg.erfolge - kap, len(set(erg.kennungen) - angebote), zeilen or 0)


def bericht(titel: str, erg: Ergebnis, p: Pruefung) -> str:
    ablehnungen = ", ".join(f"{k}: {v}" for k, v in sorted(erg.ablehnungen.items())) or "keine"
    zeilen = [
        f"## {titel}",
        f"Bearbeitungen: {erg.versuche} in {erg.sekunden:.1f} s; gespeichert: {erg.erfolge}; abgelehnt: {ablehnungen}",
        f"Endstand Kapazität: {p.kapazitaet} (erwartet {erg.erfolge}); verlorene Änderungen: {p.verloren}; "
        f"fehlende Kennungen: {p.fehlende_kennungen}; Protokollzeilen 'aendern': {p.protokollzeilen}",
    ]
    zeilen += [f"Beispiel {k}: {v}" for k, v in sorted(erg.beispiele.items())]
    return "\n".join(zeilen)


def ok(erg: Ergebnis, p: Pruefung) -> bool:
    """Keine verlorene Änderung, jede Ablehnung ein Konflikt (oder klare Belegt-Meldung), Protokoll vollständig."""
    erlaubt = {"KonfliktFehler", "DatenbankFehler"}
    return (p.verloren == 0 and p.fehlende_kennungen == 0 and p.protokollzeilen == erg.erfolge
            and set(erg.ablehnungen) <= erlaubt)


def _postgis(args: argparse.Namespace) -> tuple[str, Ergebnis, Pruefung]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url, wegwerf = args.url, None
    if not url:
        basis = make_url(PG_URL)
        wegwerf = f"rk_stress_{uuid.uuid4().hex[:8]}"
        admin = create_engine(basis, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{wegwerf}"'))
        admin.dispose()
        url = basis.set(database=wegwerf).render_as_string(hide_password=False)
    try:
        eid = vorbereiten(url)
        erg = laufe_threads(url, eid, threads=args.threads, edits=args.edits)
        return f"PostGIS: {args.threads} Threads × {args.edits} Bearbeitungen", erg, pruefe(url, eid, erg)
    finally:
        if wegwerf:
            admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{wegwerf}" WITH (FORCE)'))
            admin.dispose()


def _sqlite(args: argparse.Namespace) -> tuple[str, Ergebnis, Pruefung]:
    with tempfile.TemporaryDirectory() as ordner:
        url = args.url or f"sqlite:///{Path(ordner) / 'stress.db'}"
        eid = vorbereiten(url)
        erg = laufe_prozesse(url, eid, prozesse=args.prozesse, edits=args.edits,
                             versuche=1 if args.ohne_wiederholung else None)
        return (f"SQLite: {args.prozesse} Prozesse × {args.edits} Bearbeitungen (eine Datei)", erg,
                pruefe(url, eid, erg))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("backend", choices=["postgis", "sqlite"])
    p.add_argument("--url", help="Datenbank-URL (Standard: Wegwerf-Datenbank)")
    p.add_argument("--threads", type=int, default=20)
    p.add_argument("--prozesse", type=int, default=2)
    p.add_argument("--edits", type=int, default=None, help="Bearbeitungen je Thread/Prozess (50 bzw. 200)")
    p.add_argument("--ohne-wiederholung", action="store_true",
                   help="SQLite: zum Vergleich ohne die Wiederholung bei belegter Datenbank")
    args = p.parse_args(argv)
    args.edits = args.edits or (50 if args.backend == "postgis" else 200)
    titel, erg, pr = (_postgis if args.backend == "postgis" else _sqlite)(args)
    print(bericht(titel, erg, pr))
    gut = ok(erg, pr)
    print("Ergebnis: " + ("bestanden" if gut else "NICHT bestanden"))
    return 0 if gut else 1


if __name__ == "__main__":
    raise SystemExit(main())
