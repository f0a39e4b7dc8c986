"""Befehle der Gremiumsarbeit: `sitzungen`, `sitzung einladung|absage|protokoll`, `budget`, `datenschutz`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from befehle.basis import deutsche_daten, ganzzahl, jahr, kontext


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
    a = was.add_parser("absage", help="Sitzung absagen (Teamleitung ASD) und die Absage als Kalenderdatei (.ics, "
                                      "METHOD:CANCEL) schreiben")
    a.add_argument("id", type=ganzzahl, help="Sitzungs-ID (siehe `ressourcenkarte sitzungen --sozialraum NAME`)")
    a.add_argument("pfad", type=Path, help="Zieldatei (.ics)")
    a.add_argument("--grund", help="Grund der Absage (steht in der Absage an die Eingeladenen)")
    a.add_argument("--an", nargs="+", metavar="ADRESSE",
                   help="die Absage zusätzlich per E-Mail an diese Adressen senden")
    a.add_argument("--als", metavar="LOGIN", help="Konto, das absagt (Teamleitung des Sozialraums); "
                                                  "ohne: kommandozeile:<Betriebssystem-Konto>")
    a.set_defaults(ausfuehren=_absage)
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


def _sozialraum(session, args: argparse.Namespace) -> int | None:  # noqa: ANN001
    """id zu --sozialraum (eine Regel für alle Befehle, `daten.namenssuche`); danach steht in `args.sozialraum` der
    Name wie konfiguriert."""
    from daten import modelle as m
    from daten.dienste.sitzungen import sozialraum_id

    if not args.sozialraum:
        return None
    sr = sozialraum_id(session, args.sozialraum)
    args.sozialraum = session.get(m.Sozialraum, sr).name
    return sr


def _tabelle(df, spalten: dict[str, str]) -> str:  # noqa: ANN001
    if df.empty:
        return "(keine Einträge)"
    aus = deutsche_daten(df[list(spalten)]).rename(columns=spalten).fillna("–")
    return aus.to_string(index=False)


def _sitzungen(args: argparse.Namespace) -> str:
    from analysen.gremium import kadenz
    from daten.db import pruefe_verbindung, sitzung
    from daten.dienste.sitzungen import STATUS_TEXT, sitzungen

    k = kontext(args)
    pruefe_verbindung(k.engine)
    stichtag = args.stichtag or date.today()
    with sitzung(k.engine, akteur=None) as s:
        sr_id = _sozialraum(s, args)
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


def _pruefe_ics(pfad: Path, was: str) -> None:
    from daten.fehler import EingabeFehler

    if pfad.suffix.lower() != ".ics":
        raise EingabeFehler(f"{pfad}: {was} wird als .ics geschrieben. Bitte Dateiendung .ics angeben.")
    if not pfad.parent.is_dir():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen.")


def _ohne_adresse(e, kommune) -> str:  # noqa: ANN001
    from daten.gremium.einladung import fehlende_adressen, teilnehmende

    fehlt = fehlende_adressen(e, kommune)
    if not fehlt:
        return ""
    return (f" {len(fehlt)} von {len(teilnehmende(e))} Eingeladenen ohne E-Mail-Adresse (stehen mit Namen und "
            "unzustellbarer Adresse darin; Adressen in gremium.adressen der Konfiguration ergänzen).")


def _einladung(args: argparse.Namespace) -> str:
    from daten.dateien import schreibe_atomar
    from daten.db import pruefe_verbindung, sitzung
    from daten.dienste.sitzungen import lade_sitzung
    from daten.fehler import EingabeFehler
    from daten.gremium.einladung import Einladung, einladung_ics, sende_einladung

    _pruefe_ics(args.pfad, "Die Einladung")
    k = kontext(args)
    pruefe_verbindung(k.engine)
    with sitzung(k.engine, akteur=None) as s:
        e = Einladung.aus_sitzung(lade_sitzung(s, args.id), absender=k.einstellungen.smtp_absender)
    if e.abgesagt:
        raise EingabeFehler(f"Sitzung {args.id} ist abgesagt. Die Absage schreibt `ressourcenkarte sitzung absage "
                            f"{args.id} PFAD.ics`.")
    schreibe_atomar(args.pfad, einladung_ics(e, k.kommune))
    text = (f"Einladung {args.pfad} geschrieben ({e.sozialraum}, {e.datum:%d.%m.%Y}, Fassung {e.sequenz}, "
            f"{len(e.eingeladene)} Eingeladene).") + _ohne_adresse(e, k.kommune)
    if args.an:
        sende_einladung(e, k.kommune, k.einstellungen, args.an)
        text += f" Per E-Mail an {len(args.an)} Adresse(n) gesendet."
    return text


def _akteur_cli(engine, als: str | None):  # noqa: ANN001, ANN202
    import getpass

    from daten.importe import akteur_aus_konto
    from daten.politik import ADMIN, Akteur

    # ohne --als: wer die Datenbank-URL hat, hat alle Rechte; vermerkt wird das Betriebssystem-Konto
    return akteur_aus_konto(engine, als) if als else Akteur(login=f"kommandozeile:{getpass.getuser()}"[:80],
                                                            rolle=ADMIN)


def _absage(args: argparse.Namespace) -> str:
    from daten.dateien import schreibe_atomar
    from daten.db import pruefe_verbindung, sitzung
    from daten.dienste import ausfuehren
    from daten.dienste.sitzungen import lade_sitzung, sitzung_absagen
    from daten.gremium.einladung import Einladung, absage_ics, sende_einladung

    _pruefe_ics(args.pfad, "Die Absage")
    k = kontext(args)
    pruefe_verbindung(k.engine)
    with sitzung(k.engine, akteur=None) as s:
        schon = Einladung.aus_sitzung(lade_sitzung(s, args.id)).abgesagt
    if not schon:
        ausfuehren(k.engine, _akteur_cli(k.engine, args.als), sitzung_absagen, sitzung_id=args.id, grund=args.grund)
    with sitzung(k.engine, akteur=None) as s:
        e = Einladung.aus_sitzung(lade_sitzung(s, args.id), absender=k.einstellungen.smtp_absender)
    schreibe_atomar(args.pfad, absage_ics(e, k.kommune))
    was = "war schon abgesagt; Absage erneut" if schon else "abgesagt; Absage"
    text = (f"Sitzung {args.id} ({e.sozialraum}, {e.datum:%d.%m.%Y}) {was} nach {args.pfad} geschrieben "
            f"(Fassung {e.sequenz}).")
    if args.an:
        sende_einladung(e, k.kommune, k.einstellungen, args.an)  # abgesagt: sendet METHOD:CANCEL
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
    from berichte.protokoll import sende_protokoll
    from daten.gremium.versand import protokoll_adressen

    akteur = _akteur_cli(k.engine, args.als)
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
        sr_id = _sozialraum(s, args)
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
