"""Befehle der Gremiumsarbeit: `sitzungen`, `sitzung einladung|protokoll`, `budget`, `datenschutz`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from befehle.basis import ganzzahl, jahr, kontext


def _datum(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' ist kein Datum (JJJJ-MM-TT, z. B. 2026-03-12)") from None


def registriere(unter: argparse._SubParsersAction) -> None:
    s = unter.add_parser("sitzungen", help="Sitzungsrhythmus aller Gremien (R5); mit --sozialraum die Sitzungen")
    s.add_argument("--sozialraum", help="nur dieser Sozialraum, mit seinen Sitzungen und IDs")
    s.add_argument("--ueberfaellig", action="store_true", help="nur Gremien ohne Sitzung im laufenden Halbjahr")
    s.add_argument("--stichtag", type=_datum, help="Stichtag statt heute (JJJJ-MM-TT)")
    s.set_defaults(ausfuehren=_sitzungen)

    sz = unter.add_parser("sitzung", help="Einladung (.ics) oder Ergebnisprotokoll (.docx/.pdf) einer Sitzung")
    was = sz.add_subparsers(dest="was", metavar="AKTION", title="Aktionen")
    was.required = True
    e = was.add_parser("einladung", help="Einladung als Kalenderdatei (.ics); mit --an per SMTP versenden")
    e.add_argument("id", type=ganzzahl, help="Sitzungs-ID (siehe `ressourcenkarte sitzungen --sozialraum NAME`)")
    e.add_argument("pfad", type=Path, help="Zieldatei (.ics)")
    e.add_argument("--an", nargs="+", metavar="ADRESSE", help="zusätzlich per E-Mail an diese Adressen senden")
    e.set_defaults(ausfuehren=_einladung)
    p = was.add_parser("protokoll", help="Ergebnisprotokoll als .docx oder .pdf; mit --senden per SMTP (R8)")
    p.add_argument("id", type=ganzzahl, help="Sitzungs-ID")
    p.add_argument("pfad", type=Path, help="Zieldatei (.docx oder .pdf)")
    p.add_argument("--senden", nargs="*", metavar="ADRESSE",
                   help="als PDF an die Adressen aus verteiler.adressen und diese Adressen senden und als versendet "
                        "vermerken (Status 'protokolliert' nötig)")
    p.add_argument("--als", metavar="LOGIN", help="Konto, das versendet (vermerkt als „versendet von“); "
                                                  "ohne: kommandozeile:<Betriebssystem-Konto>")
    p.set_defaults(ausfuehren=_protokoll)

    b = unter.add_parser("budget", help="Budget je Art: geplant, genehmigt, ausgegeben, Rest (R10, R12)")
    b.add_argument("--jahr", type=jahr, required=True, help="Haushaltsjahr")
    b.add_argument("--sozialraum", help="nur dieser Sozialraum")
    b.set_defaults(ausfuehren=_budget)

    d = unter.add_parser("datenschutz", help="Text auf personenbezogene Angaben prüfen (R3); Exit 1 bei Befund")
    d.add_argument("pfad", type=Path, help="Textdatei (UTF-8)")
    d.set_defaults(ausfuehren=_datenschutz)


def _sozialraum_id(session, name: str | None) -> int | None:  # noqa: ANN001
    from daten.dienste.sitzungen import sozialraum_id

    return sozialraum_id(session, name) if name else None


def _tabelle(df, spalten: dict[str, str]) -> str:  # noqa: ANN001
    if df.empty:
        return "(keine Einträge)"
    aus = df[list(spalten)].rename(columns=spalten).fillna("–")
    return aus.to_string(index=False)


def _sitzungen(args: argparse.Namespace) -> str:
    from analysen.gremium import kadenz
    from daten.db import pruefe_verbindung, sitzung
    from daten.dienste.sitzungen import STATUS_TEXT, sitzungen

    k = kontext(args)
    pruefe_verbindung(k.engine)
    stichtag = args.stichtag or date.today()
    with sitzung(k.engine, akteur=None) as s:
        sr_id = _sozialraum_id(s, args.sozialraum)
        df = sitzungen(s, sozialraum_id=sr_id)
    namen = [args.sozialraum] if args.sozialraum else [sr.name for sr in k.kommune.sozialraeume]
    kz = kadenz(df, namen, stichtag)
    if args.ueberfaellig:
        kz = kz[kz["ueberfaellig"]]
    teile = [f"Sitzungsrhythmus zum {stichtag:%d.%m.%Y} (R5: mindestens eine Sitzung je Halbjahr):",
             _tabelle(kz.assign(ueberfaellig=kz["ueberfaellig"].map({True: "ja", False: "nein"})),
                      {"sozialraum": "Sozialraum", "letzte_sitzung": "letzte", "naechste_sitzung": "nächste",
                       "ueberfaellig": "überfällig", "hinweis": "Hinweis"})]
    if args.sozialraum:
        df = df.assign(status=df["status"].map(STATUS_TEXT))
        teile += ["", f"Sitzungen {args.sozialraum}:",
                  _tabelle(df, {"id": "ID", "datum": "Datum", "status": "Status", "ort": "Ort",
                                "protokollfuehrung": "Protokoll", "anzahl_punkte": "Punkte"})]
    return "\n".join(teile)


def _einladung(args: argparse.Namespace) -> str:
    from daten.dateien import schreibe_atomar
    from daten.db import pruefe_verbindung, sitzung
    from daten.dienste.sitzungen import lade_sitzung
    from daten.fehler import EingabeFehler
    from daten.gremium.einladung import Einladung, einladung_ics, sende_einladung

    if args.pfad.suffix.lower() != ".ics":
        raise EingabeFehler(f"{args.pfad}: Die Einladung wird als .ics geschrieben. Bitte Dateiendung .ics angeben.")
    if not args.pfad.parent.is_dir():
        raise EingabeFehler(f"Ordner {args.pfad.parent} existiert nicht. Bitte zuerst anlegen.")
    k = kontext(args)
    pruefe_verbindung(k.engine)
    with sitzung(k.engine, akteur=None) as s:
        e = Einladung.aus_sitzung(lade_sitzung(s, args.id))
    schreibe_atomar(args.pfad, einladung_ics(e, k.kommune))
    text = f"Einladung {args.pfad} geschrieben ({e.sozialraum}, {e.datum:%d.%m.%Y})."
    if args.an:
        sende_einladung(e, k.kommune, k.einstellungen, args.an)
        text += f" Per E-Mail an {len(args.an)} Adresse(n) gesendet."
    return text


def _protokoll(args: argparse.Namespace) -> str:
    from berichte.protokoll import schreibe_protokoll
    from daten.db import pruefe_verbindung, sitzung
    from daten.politik import SYSTEM

    k = kontext(args)
    pruefe_verbindung(k.engine)
    with sitzung(k.engine, akteur=None) as s:  # Kommandozeile = Administration auf dem Server
        pfad = schreibe_protokoll(s, k.kommune, args.id, args.pfad, akteur=SYSTEM)
    if args.senden is None:
        return f"Protokoll {pfad} geschrieben."
    import getpass

    from berichte.protokoll import sende_protokoll
    from daten.gremium.versand import protokoll_adressen
    from daten.importe import akteur_aus_konto
    from daten.politik import ADMIN, Akteur

    # ohne --als: wer die Datenbank-URL hat, hat alle Rechte; vermerkt wird das Betriebssystem-Konto
    akteur = akteur_aus_konto(k.engine, args.als) if args.als else Akteur(
        login=f"kommandozeile:{getpass.getuser()}"[:80], rolle=ADMIN)
    adressen = [*protokoll_adressen(k.kommune), *args.senden]
    with sitzung(k.engine, akteur=akteur, kommune=k.kommune) as s:
        sz = sende_protokoll(s, akteur, k.kommune, k.einstellungen, args.id, adressen)
        vermerk = f"{sz.versendet_am:%d.%m.%Y %H:%M} von {sz.versendet_von}"
    return f"Protokoll {pfad} geschrieben und als PDF an {len(set(adressen))} Adresse(n) gesendet ({vermerk})."


def _eur(x: float) -> str:
    return f"{x:,.0f} €".replace(",", ".")


def _budget(args: argparse.Namespace) -> str:
    from analysen.gremium import KEIN_BUDGET, budget_uebersicht
    from daten.db import pruefe_verbindung, sitzung
    from daten.dienste.budget import WER_BUDGET_EINTRAEGT, budgets_und_massnahmen

    k = kontext(args)
    pruefe_verbindung(k.engine)
    with sitzung(k.engine, akteur=None) as s:
        sr_id = _sozialraum_id(s, args.sozialraum)
        budgets, massnahmen = budgets_und_massnahmen(s, jahr=args.jahr, sozialraum_id=sr_id)
    # jeder (gewählte) Sozialraum steht in der Übersicht, auch ohne Budget und Maßnahmen in diesem Jahr
    namen = [args.sozialraum] if sr_id is not None else [sr.name for sr in k.kommune.sozialraeume]
    ub = budget_uebersicht(budgets, massnahmen, k.kommune.budgetkategorien, sozialraeume=namen, jahre=[args.jahr])
    for spalte in ("budget", "geplant", "genehmigt", "ausgegeben", "rest"):
        ub[spalte] = ub[spalte].map(_eur)
    ub.loc[~ub["eingetragen"], "budget"] = KEIN_BUDGET  # nicht 0 €: die Jugendhilfeplanung trägt es noch ein
    ub.loc[~ub["eingetragen"], "rest"] = "–"
    ub["warnung"] = ub["warnung"].replace("", "–").where(ub["eingetragen"], "–")
    kopf = f"Budget {args.jahr}" + (f", {args.sozialraum}" if args.sozialraum else "") + " (Rest = Budget − gebunden):"
    if not ub["eingetragen"].all():
        ohne = list(dict.fromkeys(ub.loc[~ub["eingetragen"], "sozialraum"]))
        wo = "" if len(ohne) == len(namen) else f" für {', '.join(ohne)}"
        kopf = (f"Für {args.jahr} ist{wo} noch kein Budget eingetragen. {WER_BUDGET_EINTRAEGT}.\n") + kopf
    return kopf + "\n" + _tabelle(ub, {"sozialraum": "Sozialraum", "bezeichnung": "Art", "budget": "Budget",
                                       "geplant": "geplant", "genehmigt": "genehmigt", "ausgegeben": "ausgegeben",
                                       "rest": "Rest", "warnung": "Warnung"})


def _datenschutz(args: argparse.Namespace) -> str:
    from daten.fehler import EingabeFehler
    from daten.gremium.datenschutz import pruefe_text

    try:
        text = args.pfad.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EingabeFehler(f"Datei {args.pfad} nicht gefunden.") from None
    except (UnicodeDecodeError, IsADirectoryError, PermissionError):
        raise EingabeFehler(f"Datei {args.pfad} ist keine lesbare UTF-8-Textdatei.") from None
    befunde = pruefe_text(text)
    if not befunde:
        return f"{args.pfad}: keine personenbezogenen Angaben gefunden."
    for b in befunde:
        zeile = text.count("\n", 0, b.start) + 1
        spalte = b.start - (text.rfind("\n", 0, b.start) + 1) + 1
        print(f"{args.pfad}:{zeile}:{spalte}: {b.bezeichnung} (Zeichen {b.start}–{b.ende}): »{b.text}«")
    print(f"{len(befunde)} Befund(e): bitte ändern oder im Protokoll mit Begründung bestätigen (R3).")
    sys.stdout.flush()
    raise SystemExit(1)
