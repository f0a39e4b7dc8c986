"""Die Dokumentation (README.md und docs/**/*.md) nennt jede Einstellung und jeden Befehl mit jeder Option,
und jeder relative Link in ihr zeigt auf eine Datei (und eine Überschrift), die es gibt."""

from __future__ import annotations

import argparse
import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from daten.einstellungen import EINSTELLUNGEN_HILFE

WURZEL = Path(__file__).resolve().parents[1]
DATEIEN = [WURZEL / "README.md", *sorted((WURZEL / "docs").rglob("*.md"))]
# [Text](Ziel) und ![Bild](Ziel); Ziel ohne Leerzeichen, optional mit "Titel"
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODEBLOCK = re.compile(r"^```.*?^```", re.S | re.M)


def doku_text() -> str:
    """Alles, was Menschen lesen: README.md und docs/**/*.md."""
    return "\n".join(p.read_text(encoding="utf-8") for p in DATEIEN)


def _parser() -> argparse.ArgumentParser:
    """Der Parser hinter dem Konsolenbefehl `ressourcenkarte` (pyproject.toml, [project.scripts])."""
    ep = next(e for e in entry_points(group="console_scripts") if e.name == "ressourcenkarte")
    modul = __import__(ep.module, fromlist=["_parser"])
    return modul._parser()


def _befehle(p: argparse.ArgumentParser, pfad: tuple[str, ...] = ()):  # noqa: ANN202
    """(Befehlspfad, Optionen) für den Parser und jeden Unterbefehl, rekursiv."""
    optionen = [o for a in p._actions for o in a.option_strings if o.startswith("--") and o != "--help"]
    yield pfad, optionen
    for aktion in p._actions:
        if isinstance(aktion, argparse._SubParsersAction):
            for name, unter in aktion.choices.items():
                yield from _befehle(unter, (*pfad, name))


def test_jede_einstellung_steht_in_der_doku():
    text = doku_text()
    fehlt = [name for name in EINSTELLUNGEN_HILFE if f"`{name}`" not in text]
    assert not fehlt, f"nicht in README.md oder docs/ dokumentiert: {fehlt}"


def test_jeder_befehl_und_jede_option_steht_in_der_doku():
    text = doku_text()
    fehlt = []
    for pfad, optionen in _befehle(_parser()):
        befehl = " ".join(("ressourcenkarte", *pfad))
        if befehl not in text:
            fehlt.append(befehl)
        fehlt += [f"{befehl} {o}" for o in optionen if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text)]
    assert not fehlt, f"nicht in README.md oder docs/ dokumentiert: {fehlt}"


def _anker(datei: Path) -> set[str]:
    """Anker der Überschriften wie GitHub sie bildet: klein, ohne Satzzeichen, Leerzeichen → '-'."""
    anker = set()
    for zeile in CODEBLOCK.sub("", datei.read_text(encoding="utf-8")).splitlines():
        treffer = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", zeile)
        if treffer:
            titel = re.sub(r"[`*]|\[([^\]]*)\]\([^)]*\)", r"\1", treffer.group(1)).strip().lower()
            anker.add(re.sub(r"[^\w\- ]", "", titel).replace(" ", "-"))
    return anker


@pytest.mark.parametrize("datei", DATEIEN, ids=lambda p: str(p.relative_to(WURZEL)))
def test_relative_links_zeigen_auf_vorhandene_dateien(datei):
    kaputt = []
    for ziel in LINK.findall(CODEBLOCK.sub("", datei.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", ziel):  # https:, mailto: …
            continue
        pfad, _, anker = ziel.partition("#")
        ort = (datei.parent / pfad).resolve() if pfad else datei
        if not ort.exists():
            kaputt.append(f"{ziel} (Datei fehlt)")
        elif anker and ort.suffix == ".md" and anker not in _anker(ort):
            kaputt.append(f"{ziel} (keine Überschrift „{anker}“)")
    assert not kaputt, f"{datei.relative_to(WURZEL)}: {kaputt}"
