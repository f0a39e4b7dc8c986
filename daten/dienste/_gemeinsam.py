"""Gemeinsame Prüfungen des Dienstes: Rechte mit deutscher Begründung, Laden mit Versionsvergleich."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler
from daten.politik import ROLLEN, Akteur, darf_schreiben

T = TypeVar("T", bound=m.Basis)

_BEZEICHNUNG = {"einrichtung": "Einrichtung", "netzwerk": "Netzwerk", "benutzer": "Konto"}


def sozialraum_name(session: Session, sozialraum_id: int | None) -> str:
    if sozialraum_id is None:
        return "stadtweit"
    sr = session.get(m.Sozialraum, sozialraum_id)
    return sr.name if sr else f"Nr. {sozialraum_id}"


def pruefe_recht(session: Session, akteur: Akteur | None, *, tabelle: str, sozialraum_id: int | None, was: str) -> None:
    """RechteFehler mit Begründung, wenn `akteur` `tabelle` im Sozialraum nicht schreiben darf.

    Dieselbe Regel prüft die Datenschicht vor jedem Flush noch einmal; hier steht nur der bessere Text.
    """
    if akteur is None:
        raise RechteFehler("Bitte zuerst anmelden; ohne Anmeldung wird nichts gespeichert.")
    if darf_schreiben(akteur, tabelle, sozialraum_id):
        return
    rolle = ROLLEN.get(akteur.rolle, akteur.rolle)
    ziel = sozialraum_name(session, sozialraum_id)
    if politik.hat_eigenen_sozialraum(akteur) and akteur.sozialraum_id is not None:
        eigener = sozialraum_name(session, akteur.sozialraum_id)
        raise RechteFehler(
            f"Keine Berechtigung: {was} betrifft den Sozialraum {ziel}; als {rolle} pflegen Sie nur "
            f"{eigener}. Bitte die zuständige Teamleitung oder die Administration fragen.")
    raise RechteFehler(f"Keine Berechtigung: die Rolle {rolle} darf {was} nicht ({ziel}).")


def lade(session: Session, modell: type[T], datensatz_id: int, *, version: int | None) -> T:
    """Lädt einen Datensatz; `version` = der Stand, den die Person gesehen hat (None: nicht prüfen).

    Weicht der gespeicherte Stand ab, hat inzwischen jemand anderes gespeichert: KonfliktFehler statt
    stillem Überschreiben. Die Seite zeigt dann beide Stände nebeneinander (daten.dienste.verlauf).
    """
    tabelle = modell.__tablename__
    obj = session.get(modell, datensatz_id)
    if obj is None:
        raise EingabeFehler(f"{_BEZEICHNUNG.get(tabelle, tabelle)} Nr. {datensatz_id} gibt es nicht (mehr). "
                            "Bitte die Liste neu laden.")
    if version is not None and obj.version != version:
        from daten.dienste.verlauf import letzte_aenderung

        wer = letzte_aenderung(session, tabelle, datensatz_id)
        von = f" von {wer.benutzer} ({wer.zeitpunkt:%d.%m.%Y %H:%M})" if wer else ""
        raise KonfliktFehler(
            f"„{getattr(obj, 'name', getattr(obj, 'login', datensatz_id))}“ wurde inzwischen{von} geändert "
            f"(gespeichert ist Stand {obj.version}, Sie haben Stand {version} bearbeitet). Nichts wurde "
            "gespeichert; bitte die Änderungen vergleichen und neu laden oder Ihre Eingabe erneut anwenden.")
    return obj


def text_oder_none(wert: object, *, feld: str, hoechstens: int) -> str | None:
    """Freitext bereinigen: Leerraum trimmen, leer → None, Länge prüfen."""
    if wert is None:
        return None
    if not isinstance(wert, str):
        raise EingabeFehler(f"Feld „{feld}“: Text erwartet.")
    text = wert.strip()
    if len(text) > hoechstens:
        raise EingabeFehler(f"Feld „{feld}“ ist zu lang ({len(text)} Zeichen, höchstens {hoechstens}). Bitte kürzen.")
    return text or None


def textliste(werte: object, *, feld: str) -> list[str]:
    """Liste von Texten (z. B. Angebote): Leerzeilen und Doppelte entfernen, Reihenfolge behalten."""
    if werte is None:
        return []
    if isinstance(werte, str):
        werte = werte.splitlines()
    ergebnis: list[str] = []
    for w in werte:  # type: ignore[union-attr]
        t = text_oder_none(w, feld=feld, hoechstens=300)
        if t and t not in ergebnis:
            ergebnis.append(t)
    return ergebnis
