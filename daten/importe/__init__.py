"""Geprüfte Importe: Stadtteil-Grenzen, Einrichtungen, Indikatoren.

Jeder Import läuft in zwei Schritten: prüfen (liest die Datei, baut einen Plan und einen Zeilenbericht,
schreibt nichts) und schreiben. `importiere(..., probe=True)` ist der Probelauf. Geschrieben wird
alles oder nichts: ein Fehler im Bericht verhindert das Schreiben, außer die Person lässt die
gemeldeten Zeilen ausdrücklich überspringen (`zeilen_ueberspringen=True`); Fehler der ganzen Datei
(Zeile 0) verhindern es immer.

Wer schreibt: die handelnde Person (`akteur`). Importe schreiben über das ORM in
`daten.db.sitzung(engine, akteur=…)`; so prüft die Datenschicht die Rechte (Stadtteile nur
Administration, Indikatoren auch Jugendhilfeplanung, Einrichtungen Administration bzw. Teamleitung im
eigenen Sozialraum) und das Änderungsprotokoll nennt für jede angelegte oder geänderte Zeile ihr Login.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from daten.config import Kommune
from daten.db import sitzung
from daten.fehler import DatenbankFehler, EingabeFehler
from daten.importe.bericht import Befund, Bericht
from daten.importe.einrichtungen import EinrichtungOptionen, pruefe_einrichtungen, schreibe_einrichtungen
from daten.importe.indikatoren import INDIKATOR_ZIELE, IndikatorOptionen, pruefe_indikatoren, schreibe_indikatoren
from daten.importe.lesen import Quelle, lies
from daten.importe.spalten import EINRICHTUNG_ZIELE, ordne_spalten
from daten.importe.stadtteile import StadtteilOptionen, lies_zuordnung, pruefe_stadtteile, schreibe_stadtteile
from daten.politik import Akteur, darf_schreiben

__all__ = ["ARTEN", "Befund", "Bericht", "EinrichtungOptionen", "Ergebnis", "IndikatorOptionen", "Quelle",
           "StadtteilOptionen", "ZIELE", "akteur_aus_konto", "darf_importieren", "importiere", "lies_zuordnung",
           "spaltenvorschlag"]

Fortschritt = Callable[[float, str], None]
ARTEN = {"stadtteile": "Stadtteil-Grenzen", "einrichtungen": "Einrichtungen", "indikatoren": "Indikatoren"}
_TABELLE = {"stadtteile": "stadtteil", "einrichtungen": "einrichtung", "indikatoren": "indikatorwert"}
IMPORT_ROLLEN = ("admin", "jugendhilfeplanung")


# Zielfelder je Art, deren Spalten die Person zuordnen kann (Stadtteil-Grenzen haben ein Namensfeld)
ZIELE: dict[str, dict[str, list[str]]] = {"einrichtungen": EINRICHTUNG_ZIELE, "indikatoren": INDIKATOR_ZIELE}


def spaltenvorschlag(art: str, quelle: Quelle) -> tuple[list[str], dict[str, str]]:
    """Spalten der Datei und die automatische Zuordnung Zielfeld → Spalte (dieselbe wie beim Import ohne
    Angaben) – für die Zuordnung auf der Import-Seite. Nicht lesbare Datei → EingabeFehler (deutsch)."""
    bericht = Bericht(quelle.name)
    spalten = [str(c) for c in lies(quelle, bericht).werte.columns]
    return spalten, ordne_spalten(spalten, {}, ZIELE[art], bericht)


def darf_importieren(akteur: Akteur | None) -> bool:
    """Die Import-Seite ist für Administration und Jugendhilfeplanung (die Datenschicht prüft je Tabelle)."""
    return akteur is not None and akteur.rolle in IMPORT_ROLLEN


def akteur_aus_konto(engine: Engine, login: str) -> Akteur:
    """Akteur eines aktiven Kontos (für `--als LOGIN` der Kommandozeile); unbekannt → EingabeFehler."""
    from sqlalchemy import select

    from daten import modelle as m

    with sitzung(engine, akteur=None) as s:
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == login, m.Benutzer.aktiv.is_(True)))
        if b is None:
            raise EingabeFehler(f"Konto '{login}' gibt es nicht oder es ist gesperrt.")
        return Akteur(login=b.login, rolle=b.rolle, sozialraum_id=b.sozialraum_id)


@dataclass
class Ergebnis:
    """Was ein Import (oder Probelauf) ergab: Bericht, Plan, ob geschrieben wurde, Zahlen und ein Satz dazu."""

    art: str
    bericht: Bericht
    plan: Any
    geschrieben: bool
    zahlen: dict[str, int] = field(default_factory=dict)
    text: str = ""


def _abschnitt(fortschritt: Fortschritt | None, von: float, bis: float) -> Fortschritt:
    def melde(anteil: float, text: str) -> None:
        if fortschritt:
            fortschritt(von + (bis - von) * max(0.0, min(1.0, anteil)), text)
    return melde


def _pruefe(art: str, s: Any, kommune: Kommune, quelle: Quelle, optionen: Any, melde: Fortschritt) -> Any:
    if art == "stadtteile":
        return pruefe_stadtteile(s, kommune, quelle, optionen or StadtteilOptionen(), melde)
    if art == "einrichtungen":
        return pruefe_einrichtungen(s, kommune, quelle, optionen or EinrichtungOptionen(), melde)
    if art == "indikatoren":
        return pruefe_indikatoren(s, kommune, quelle, optionen or IndikatorOptionen(), melde)
    raise EingabeFehler(f"Importart '{art}' gibt es nicht. Möglich: {', '.join(ARTEN)}.")


def _rechte(art: str, plan: Any, akteur: Akteur | None, s: Any) -> None:
    """Vorab-Hinweis im Bericht, wenn die Rolle nicht schreiben darf (entscheiden tut die Datenschicht)."""
    if akteur is None:
        return
    tabelle = _TABELLE[art]
    if art == "einrichtungen":
        from sqlalchemy import select

        from daten import modelle as m

        sr = {st.name: st.sozialraum_id for st in s.scalars(select(m.Stadtteil))}
        verboten = {z["stadtteil"] for z in plan.zeilen if not darf_schreiben(akteur, tabelle, sr.get(z["stadtteil"]))}
    else:
        verboten = set() if darf_schreiben(akteur, tabelle, None) else {"alle"}
    if verboten:
        plan.bericht.fehler(0, "Rechte", f"Die Rolle '{akteur.rolle}' darf {ARTEN[art]} nicht ändern"
                            + ("" if verboten == {"alle"} else f" (Stadtteile {', '.join(sorted(verboten))})") + ".",
                            "Mit einem berechtigten Konto importieren (z. B. Administration).")


def importiere(engine: Engine, kommune: Kommune, art: str, quelle: Quelle, *, akteur: Akteur, optionen: Any = None,
               probe: bool = True, zeilen_ueberspringen: bool = False,
               fortschritt: Fortschritt | None = None) -> Ergebnis:
    """Prüft `quelle` und schreibt sie (außer bei `probe`) in einer Transaktion als `akteur`.

    Gibt immer ein `Ergebnis` zurück; unlesbare Dateien und Datenbankfehler als `RessourcenkarteFehler`.
    """
    pruef_ende = 1.0 if probe else 0.6
    with sitzung(engine, akteur=None if probe else akteur) as s:
        plan = _pruefe(art, s, kommune, quelle, optionen, _abschnitt(fortschritt, 0.0, pruef_ende))
        _rechte(art, plan, akteur, s)
        b = plan.bericht
        fehlerzeilen = sorted(b.fehlerzeilen - {0})
        if probe:
            _abschnitt(fortschritt, 0.0, 1.0)(1.0, "Probelauf fertig")
            return Ergebnis(art, b, plan, False, text=f"Probelauf, nichts geschrieben: {plan.zusammenfassung()}; "
                            f"{b.zusammenfassung()}.")
        if b.hat_fehler and (b.dateifehler or not zeilen_ueberspringen):
            grund = ("Fehler in der Datei als Ganzes" if b.dateifehler
                     else f"{len(fehlerzeilen)} fehlerhafte Zeilen (überspringen mit --zeilen-ueberspringen)")
            return Ergebnis(art, b, plan, False, text=f"Nichts geschrieben: {grund}; {b.zusammenfassung()}.")
        melde = _abschnitt(fortschritt, pruef_ende, 1.0)
        try:
            if art == "stadtteile":
                schreibe_stadtteile(s, plan, melde)
                zahlen = {"stadtteile": len(plan.geometrien), "einrichtungen_umgezogen": len(plan.umzuege)}
            elif art == "einrichtungen":
                zahlen = schreibe_einrichtungen(s, plan, kommune, melde)
            else:
                zahlen = schreibe_indikatoren(s, plan, melde)
            s.flush()
        except IntegrityError as exc:
            raise DatenbankFehler(f"{quelle.name}: die Datenbank lehnt den Import ab ({_erste_zeile(exc)}). "
                                  "Nichts wurde geschrieben.") from None
        except OperationalError as exc:
            raise DatenbankFehler(f"{quelle.name}: Datenbankfehler beim Schreiben ({_erste_zeile(exc)}). "
                                  "Nichts wurde geschrieben; bitte erneut versuchen.") from None
    if fehlerzeilen:
        zahlen["übersprungen"] = len(fehlerzeilen)
    teile = ", ".join(f"{v} {k}" for k, v in zahlen.items())
    return Ergebnis(art, b, plan, True, zahlen, text=f"{ARTEN[art]} aus {quelle.name} geschrieben: {teile}.")


def _erste_zeile(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
