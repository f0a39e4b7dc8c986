"""Befehlsgruppe `benutzer`: Konten anlegen, Rolle ändern, sperren, Passwort setzen (Administration).

Wer die Kommandozeile mit Zugriff auf die Datenbank bedient, handelt als Administration; im
Änderungsprotokoll steht „kommandozeile:<Betriebssystem-Benutzer>“. Passwörter kommen nie als Argument
(sie stünden sonst in der Prozessliste): verdeckt abgefragt, aus stdin gelesen oder zufällig erzeugt.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys

from befehle.basis import kontext
from daten.fehler import EingabeFehler


def registriere(unter: argparse._SubParsersAction) -> None:
    b = unter.add_parser("benutzer", help="Konten verwalten: anlegen, rolle, sperren, passwort")
    bu = b.add_subparsers(dest="aktion", metavar="AKTION", title="Aktionen", parser_class=type(b))
    bu.required = True
    rollen = "admin, jugendhilfeplanung, teamleitung, mitglied, lenkungsgruppe"

    a = bu.add_parser("anlegen", help="neues Konto")
    a.add_argument("login", help="Anmeldename (Kleinbuchstaben, Ziffern, . _ @ + -)")
    a.add_argument("--rolle", required=True, help=rollen)
    a.add_argument("--sozialraum", help="Name des Sozialraums (nur teamleitung und mitglied)")
    a.add_argument("--name", help="angezeigter Name (Standard: Login)")
    _passwortquelle(a, sso=True)
    a.set_defaults(ausfuehren=_anlegen)

    r = bu.add_parser("rolle", help="Rolle und Sozialraum ändern")
    r.add_argument("login")
    r.add_argument("rolle", help=rollen)
    r.add_argument("--sozialraum", help="Name des Sozialraums (nur teamleitung und mitglied)")
    r.add_argument("--name", help="neuer angezeigter Name")
    r.set_defaults(ausfuehren=_rolle)

    s = bu.add_parser("sperren", help="Konto sperren (mit --entsperren wieder freigeben)")
    s.add_argument("login")
    s.add_argument("--entsperren", action="store_true", help="Sperre aufheben")
    s.set_defaults(ausfuehren=_sperren)

    p = bu.add_parser("passwort", help="neues Passwort setzen")
    p.add_argument("login")
    _passwortquelle(p, sso=False)
    p.set_defaults(ausfuehren=_passwort)

    liste = bu.add_parser("liste", help="alle Konten zeigen")
    liste.set_defaults(ausfuehren=_liste)


def _passwortquelle(p: argparse.ArgumentParser, *, sso: bool) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--passwort-stdin", action="store_true", help="Passwort als erste Zeile von stdin lesen")
    g.add_argument("--zufall", action="store_true", help="zufälliges Passwort erzeugen und einmal ausgeben")
    if sso:
        g.add_argument("--nur-sso", action="store_true", help="ohne Passwort: Anmeldung nur über Single Sign-on")


def _akteur():  # noqa: ANN202
    from daten.politik import Akteur

    try:
        wer = getpass.getuser()
    except (KeyError, OSError):
        wer = "unbekannt"
    return Akteur(login=f"kommandozeile:{wer}"[:80], rolle="admin")


def _lies_passwort(args: argparse.Namespace) -> tuple[str | None, str]:
    """(Passwort, Zusatz für die Ausgabe)."""
    if getattr(args, "nur_sso", False):
        return None, " Anmeldung nur über Single Sign-on."
    if args.zufall:
        pw = secrets.token_urlsafe(15)
        return pw, f" Passwort (nur jetzt sichtbar, bitte sicher weitergeben): {pw}"
    if args.passwort_stdin or not sys.stdin.isatty():
        pw = sys.stdin.readline().rstrip("\r\n")
        if not pw:
            raise EingabeFehler("Kein Passwort auf stdin. Bitte eine Zeile mit dem Passwort übergeben oder --zufall.")
        return pw, ""
    pw = getpass.getpass("Neues Passwort: ")
    if pw != getpass.getpass("Wiederholen: "):
        raise EingabeFehler("Die beiden Eingaben stimmen nicht überein. Nichts wurde gespeichert.")
    return pw, ""


def _ausfuehren(args: argparse.Namespace, funktion, *a, **kw):  # noqa: ANN001, ANN202
    from daten.db import pruefe_verbindung
    from daten.dienste import ausfuehren

    k = kontext(args)
    pruefe_verbindung(k.engine)
    return ausfuehren(k.engine, _akteur(), funktion, *a, **kw)


def _sozialraum(args: argparse.Namespace) -> int | None:
    """id des Sozialraums aus --sozialraum (Schreibweise egal); danach steht dort der Name wie konfiguriert."""
    if not args.sozialraum:
        return None
    from daten import modelle as m
    from daten.db import sitzung
    from daten.dienste.konten import sozialraum_id_von

    with sitzung(kontext(args).engine, akteur=None) as s:
        sr = sozialraum_id_von(s, args.sozialraum)
        args.sozialraum = s.get(m.Sozialraum, sr).name
        return sr


def _anlegen(args: argparse.Namespace) -> str:
    from daten.dienste.konten import lege_benutzer_an

    sr = _sozialraum(args)
    pw, zusatz = _lies_passwort(args)
    b = _ausfuehren(args, lege_benutzer_an, login=args.login, anzeigename=args.name or args.login,
                    rolle=args.rolle, sozialraum_id=sr, passwort=pw)
    return f"Konto {b.login} angelegt (Rolle {b.rolle}{', ' + args.sozialraum if sr else ''}).{zusatz}"


def _rolle(args: argparse.Namespace) -> str:
    from daten.dienste.konten import aendere_rolle

    b = _ausfuehren(args, aendere_rolle, args.login, rolle=args.rolle, sozialraum_id=_sozialraum(args),
                    anzeigename=args.name)
    return f"Konto {b.login}: Rolle {b.rolle}{', ' + args.sozialraum if args.sozialraum else ''}."


def _sperren(args: argparse.Namespace) -> str:
    from daten.dienste.konten import sperre_benutzer

    b = _ausfuehren(args, sperre_benutzer, args.login, gesperrt=not args.entsperren)
    return f"Konto {b.login} {'gesperrt' if not b.aktiv else 'freigegeben'}."


def _passwort(args: argparse.Namespace) -> str:
    from daten.dienste.konten import setze_passwort

    pw, zusatz = _lies_passwort(args)
    b = _ausfuehren(args, setze_passwort, args.login, passwort=pw)
    return f"Passwort für {b.login} gesetzt.{zusatz}"


def _liste(args: argparse.Namespace) -> str:
    from daten.db import sitzung
    from daten.dienste.konten import konten

    with sitzung(kontext(args).engine, akteur=None) as s:
        alle = konten(s)
    zeilen = [f"{k.login:<24} {k.rolle:<20} {k.sozialraum or '':<34} {'aktiv' if k.aktiv else 'gesperrt'}"
              f"{' (nur SSO)' if k.nur_sso else ''}  {k.anzeigename}" for k in alle]
    return "\n".join(zeilen) or "Keine Konten."
