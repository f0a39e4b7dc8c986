"""Rechenschritte mit Zeit- und Speichergrenze in einem eigenen Prozess (Geometrie-Prüfung und -Reparatur).

Eine gültige, große Stadtteilgrenze prüft GEOS in Sekunden; eine absichtlich verwickelte Fläche (hunderttausende
sich kreuzende Kanten) braucht für `is_valid`, `make_valid` oder `coverage_clean` Minuten und Gigabytes, und ein
GEOS-Aufruf lässt sich im selben Prozess nicht abbrechen. Deshalb laufen diese Schritte in einem Kindprozess
(unter Linux per `fork`: kein neuer Interpreter, Millisekunden), der nach `frist_s` beendet wird und höchstens
`speicher_mb` Heap anlegen darf. Der Kindprozess rechnet nur mit den übergebenen Werten (Shapely auf
Geometrien); er öffnet keine Datenbank und schreibt nichts.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from daten.fehler import EingabeFehler

T = TypeVar("T")

FRIST_S = 12.0
SPEICHER_MB = 768


def _vmdata_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for zeile in f:
            if zeile.startswith("VmData:"):
                return int(zeile.split()[1])
    return 0


def _kind(verbindung: Any, fn: Callable[..., Any], args: tuple, speicher_mb: int) -> None:
    try:
        import resource

        # Der Kindprozess erbt den Speicher des Elternprozesses: die Grenze gilt für das, was er *dazu* anlegt.
        grenze = (_vmdata_kb() * 1024) + speicher_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (grenze, grenze))
    except (ImportError, ValueError, OSError):  # pragma: no cover - andere Systeme: nur die Zeitgrenze
        pass
    try:
        verbindung.send(("ok", fn(*args)))
    except MemoryError:
        verbindung.send(("speicher", None))
    except BaseException as exc:  # noqa: BLE001 - der Elternprozess meldet es deutsch weiter
        verbindung.send(("fehler", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        verbindung.close()


def _kontext() -> Any:
    methoden = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methoden and sys.platform == "linux" else "spawn")


def mit_frist(fn: Callable[..., T], *args: Any, was: str, rat: str, frist_s: float = FRIST_S,
              speicher_mb: int = SPEICHER_MB) -> T:
    """`fn(*args)` in einem Kindprozess; nach `frist_s` Sekunden oder über `speicher_mb` → EingabeFehler.

    `was` beschreibt den Schritt für die Meldung („Die Geometrie prüfen und reparieren“), `rat` sagt, was die
    Person tun kann. `fn` und `args` müssen sich übergeben lassen (Funktionen auf Modulebene, Shapely-Geometrien).
    """
    ctx = _kontext()
    lesen, schreiben = ctx.Pipe(duplex=False)
    prozess = ctx.Process(target=_kind, args=(schreiben, fn, args, speicher_mb), daemon=True)
    prozess.start()
    schreiben.close()
    try:
        if not lesen.poll(frist_s):
            raise EingabeFehler(f"{was} dauerte länger als {frist_s:.0f} s und wurde abgebrochen. {rat}")
        try:
            art, wert = lesen.recv()
        except EOFError:
            art, wert = "speicher", None  # Kind ohne Antwort beendet (z. B. vom Speicherlimit getroffen)
    finally:
        if prozess.is_alive():
            prozess.kill()
        prozess.join(5)
        lesen.close()
    if art == "speicher":
        raise EingabeFehler(f"{was} brauchte mehr als {speicher_mb} MB Speicher und wurde abgebrochen. {rat}")
    if art == "fehler":
        raise EingabeFehler(f"{was} ist gescheitert ({wert}). {rat}")
    return wert
