#!/usr/bin/env python3
"""Findet Importzyklen zwischen den Modulen des Projekts; Exit-Code 1, wenn es einen gibt.

Nur Standardbibliothek. Gelesen werden alle .py-Dateien der Pakete, die pyproject.toml ausliefert
(`[tool.setuptools.packages.find] include`), mit `ast`: jedes `import` und `from … import …`, auch
innerhalb von Funktionen (dort verstecken sich Zyklen, weil sie beim Laden nicht auffallen), relative
Importe und `from paket import name`, wenn `name` ein Untermodul ist. Nicht gezählt werden Importe
unter `if TYPE_CHECKING:` – sie laufen nie und dienen nur Typangaben (z. B. Modelle, die sich
gegenseitig nennen).

Zyklen sind die starken Zusammenhangskomponenten (Tarjan) mit mehr als einem Modul oder einer
Schleife auf sich selbst. Zu jedem Zyklus stehen seine Kanten mit Datei:Zeile da; „(in Funktion)“
markiert einen Import im Funktionsrumpf.

    python3 skripte/importzyklen.py            # Zyklen ausgeben, Exit-Code 1 bei Zyklus
    python3 skripte/importzyklen.py --kanten   # alle Kanten ausgeben (zum Nachsehen)
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

WURZEL = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Kante:
    """Ein Import von Modul `von` auf Modul `nach` (beide Projektmodule)."""

    von: str
    nach: str
    datei: str
    zeile: int
    in_funktion: bool
    namen: tuple[str, ...] = ()  # bei `from x import a, b`: die importierten Namen, die kein Untermodul sind

    def ort(self) -> str:
        return f"{self.datei}:{self.zeile}" + (" (in Funktion)" if self.in_funktion else "")


def pakete(wurzel: Path = WURZEL) -> list[str]:
    """Die Pakete, die pyproject.toml ausliefert (oberste Ebene)."""
    daten = tomllib.loads((wurzel / "pyproject.toml").read_text(encoding="utf-8"))
    muster = daten["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(
        p.name for p in wurzel.iterdir()
        if (p / "__init__.py").is_file() and any(fnmatch.fnmatch(p.name, m) for m in muster)
    )


def module(wurzel: Path = WURZEL) -> dict[str, Path]:
    """Modulname → Datei für alle Module der Projektpakete."""
    ergebnis: dict[str, Path] = {}
    for paket in pakete(wurzel):
        for datei in sorted((wurzel / paket).rglob("*.py")):
            teile = list(datei.relative_to(wurzel).with_suffix("").parts)
            if teile[-1] == "__init__":
                teile.pop()
            ergebnis[".".join(teile)] = datei
    return ergebnis


def _ist_typpruefung(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _importknoten(baum: ast.AST):
    """(Knoten, in_funktion) für jeden Import, der zur Laufzeit laufen kann."""
    stapel: list[tuple[ast.AST, bool]] = [(baum, False)]
    while stapel:
        knoten, in_funktion = stapel.pop()
        if isinstance(knoten, ast.Import | ast.ImportFrom):
            yield knoten, in_funktion
            continue
        if isinstance(knoten, ast.If) and _ist_typpruefung(knoten.test):
            kinder = knoten.orelse  # der TYPE_CHECKING-Zweig läuft nie
        else:
            kinder = list(ast.iter_child_nodes(knoten))
        funktion = in_funktion or isinstance(knoten, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        stapel.extend((k, funktion) for k in reversed(kinder))


def _bekannt(name: str, alle: dict[str, Path]) -> str | None:
    """Das längste Projektmodul, das `name` ist oder enthält (a.b.c → a.b, wenn c kein Modul ist)."""
    while name:
        if name in alle:
            return name
        name = name.rpartition(".")[0]
    return None


def _ziele(knoten: ast.Import | ast.ImportFrom, modul: str, ist_paket: bool,
           alle: dict[str, Path]) -> list[tuple[str | None, tuple[str, ...]]]:
    """(Zielmodul, importierte Namen) je Ziel eines Imports; None, wenn das Ziel kein Projektmodul ist."""
    if isinstance(knoten, ast.Import):
        return [(_bekannt(alias.name, alle), ()) for alias in knoten.names]
    if knoten.level:  # relativ: vom Paket des Moduls aus
        basis = modul.split(".")
        basis = basis if ist_paket else basis[:-1]
        basis = basis[: len(basis) - (knoten.level - 1)]
        quelle = ".".join(basis + ([knoten.module] if knoten.module else []))
    else:
        quelle = knoten.module or ""
    ziele: list[tuple[str | None, tuple[str, ...]]] = []
    rest: list[str] = []
    for alias in knoten.names:
        if f"{quelle}.{alias.name}" in alle:  # `from paket import untermodul`
            ziele.append((f"{quelle}.{alias.name}", ()))
        else:
            rest.append(alias.name)
    if rest:
        ziele.append((_bekannt(quelle, alle), tuple(rest)))
    return ziele


def kanten(wurzel: Path = WURZEL) -> list[Kante]:
    """Alle Importe zwischen Projektmodulen."""
    alle = module(wurzel)
    ergebnis: list[Kante] = []
    for modul, datei in alle.items():
        ist_paket = datei.name == "__init__.py"
        rel = str(datei.relative_to(wurzel))
        for knoten, in_funktion in _importknoten(ast.parse(datei.read_text(encoding="utf-8"), rel)):
            for ziel, namen in _ziele(knoten, modul, ist_paket, alle):
                if ziel is not None:
                    ergebnis.append(Kante(modul, ziel, rel, knoten.lineno, in_funktion, namen))
    return ergebnis


def zyklen(alle_kanten: list[Kante]) -> list[list[str]]:
    """Starke Zusammenhangskomponenten (Tarjan, iterativ) mit Zyklus, je sortiert."""
    nachbarn: dict[str, set[str]] = {}
    for k in alle_kanten:
        nachbarn.setdefault(k.von, set()).add(k.nach)
        nachbarn.setdefault(k.nach, set())
    index: dict[str, int] = {}
    tief: dict[str, int] = {}
    auf_stapel: set[str] = set()
    stapel: list[str] = []
    komponenten: list[list[str]] = []
    zaehler = 0
    for start in sorted(nachbarn):
        if start in index:
            continue
        arbeit = [(start, iter(sorted(nachbarn[start])))]
        index[start] = tief[start] = zaehler
        zaehler += 1
        stapel.append(start)
        auf_stapel.add(start)
        while arbeit:
            knoten, weiter = arbeit[-1]
            for nachbar in weiter:
                if nachbar not in index:
                    index[nachbar] = tief[nachbar] = zaehler
                    zaehler += 1
                    stapel.append(nachbar)
                    auf_stapel.add(nachbar)
                    arbeit.append((nachbar, iter(sorted(nachbarn[nachbar]))))
                    break
                if nachbar in auf_stapel:
                    tief[knoten] = min(tief[knoten], index[nachbar])
            else:
                arbeit.pop()
                if arbeit:
                    eltern = arbeit[-1][0]
                    tief[eltern] = min(tief[eltern], tief[knoten])
                if tief[knoten] == index[knoten]:
                    komponente = []
                    while True:
                        m = stapel.pop()
                        auf_stapel.discard(m)
                        komponente.append(m)
                        if m == knoten:
                            break
                    if len(komponente) > 1 or knoten in nachbarn[knoten]:
                        komponenten.append(sorted(komponente))
    return sorted(komponenten)


def bericht(alle_kanten: list[Kante], komponenten: list[list[str]]) -> str:
    """Lesbare Liste der Zyklen mit ihren Kanten."""
    zeilen = []
    for nr, komponente in enumerate(komponenten, 1):
        drin = set(komponente)
        zeilen.append(f"Zyklus {nr} ({len(komponente)} Module): " + ", ".join(komponente))
        for k in sorted(alle_kanten, key=lambda k: (k.von, k.nach, k.zeile)):
            if k.von in drin and k.nach in drin:
                zeilen.append(f"  {k.von} → {k.nach}   {k.ort()}")
    return "\n".join(zeilen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kanten", action="store_true", help="alle Importkanten ausgeben")
    args = parser.parse_args(argv)
    alle_kanten = kanten()
    if args.kanten:
        for k in sorted(alle_kanten, key=lambda k: (k.von, k.nach, k.zeile)):
            print(f"{k.von} → {k.nach}   {k.ort()}")
    komponenten = zyklen(alle_kanten)
    if not komponenten:
        print(f"Keine Importzyklen ({len(module())} Module, {len(alle_kanten)} Importe).")
        return 0
    print(bericht(alle_kanten, komponenten))
    print(f"{len(komponenten)} Importzyklen.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
