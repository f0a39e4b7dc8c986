"""Ergebnisprotokoll als Schriftstück (R8): Kopf (Sozialraum, Datum, Ort, Protokollführung), Teilnehmende,
Antworten je Frage mit Handlungsebene und Bezügen, Beschlüsse/Maßnahmen, Verteiler – über `berichte.dokument`
als DOCX oder PDF. Nur wer das Protokoll lesen darf, bekommt es (`darf_protokoll_lesen`).

`sende_protokoll` schickt es als PDF an den Verteiler: zuerst als versendet vermerkt (`markiere_versendet`: wer,
wann – die Datenschicht prüft dabei Rechte und Status), dann gesendet; scheitert der Versand, bleibt nichts
vermerkt (eine Transaktion)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from berichte import dokument as d
from daten import modelle as m
from daten.dienste.protokoll import verteiler
from daten.dienste.sitzungen import STATUS_TEXT, lade_sitzung, markiere_versendet
from daten.gremium.versand import PROTOKOLL_HINWEIS, pruefe_adressen, pruefe_smtp, sende
from daten.politik import Akteur
from daten.protokolle import pruefe_leserecht, punkte


def _eur(betrag: float | None) -> str:
    return "" if betrag is None else f"{betrag:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def protokoll_dokument(session: Session, kommune: Any, sitzung_id: int, *, akteur: Akteur | None) -> d.Dokument:
    """Das Ergebnisprotokoll der Sitzung als Bausteinmodell (Text nie als Auszeichnung)."""
    sz = lade_sitzung(session, sitzung_id)
    pruefe_leserecht(akteur, sz)
    ebenen = kommune.handlungsebenen
    gremium = f"{sz.sozialraum.name}" + (f" – {sz.teilgremium.name}" if sz.teilgremium else "")
    dok = d.Dokument(titel=f"Ergebnisprotokoll Sozialraumgremium {gremium}",
                     untertitel=f"{kommune.amt}, {kommune.name}", autor=sz.protokollfuehrung or "",
                     vorlagen=d.vorlagen_aus(kommune), titelseite=False)
    ort = ", ".join(x for x in (sz.ort.name, sz.ort.adresse) if x) if sz.ort else "–"
    zeit = f"{sz.beginn}–{sz.ende} Uhr" if sz.beginn and sz.ende else (f"{sz.beginn} Uhr" if sz.beginn else "")
    dok.add(d.Tabelle(["Angabe", "Wert"], [
        ["Sozialraum", gremium], ["Datum", f"{sz.datum:%d.%m.%Y} {zeit}".strip()], ["Ort", ort],
        ["Protokollführung", sz.protokollfuehrung or "–"], ["Status", STATUS_TEXT.get(sz.status, sz.status)],
    ], breiten_cm=[4, 13]))
    dok.add(d.Ueberschrift("Teilnehmende", 1))
    if sz.teilnehmende:
        dok.add(d.Tabelle(["Name", "Arbeitsfeld"], [[t["name"], t["bereich"]] for t in sz.teilnehmende],
                          breiten_cm=[8, 9]))
    else:
        dok.add(d.Absatz("Keine Teilnahme eingetragen."))
    dok.add(d.Ueberschrift("Ergebnisse entlang der Fragen (3.2.2)", 1))
    dok.add(d.Absatz("Handlungsebenen: " + "; ".join(ebenen.values()), klein=True))
    tabelle = punkte(session, sitzung_id, akteur=akteur)
    for nr, frage in enumerate(kommune.fragen, start=1):
        dok.add(d.Ueberschrift(f"{nr}. {frage}", 2))
        zeilen = tabelle[tabelle["frage"] == nr]
        if zeilen.empty:
            dok.add(d.Absatz("Keine Punkte."))
            continue
        dok.add(d.Tabelle(["Punkt", "Handlungsebene", "Bezüge"], [
            [_punkttext(z), ebenen.get(z["handlungsebene"], z["handlungsebene"]), _bezuege(z)]
            for _, z in zeilen.iterrows()], breiten_cm=[9.5, 3.5, 4]))
    dok.add(d.Ueberschrift("Beschlüsse und Maßnahmen", 1))
    massnahmen = list(session.scalars(select(m.Massnahme).where(m.Massnahme.sitzung_id == sz.id)
                                      .order_by(m.Massnahme.id)))
    if massnahmen:
        dok.add(d.Tabelle(["Maßnahme", "Art", "Beschlussvorlage", "Durchführung", "Kosten geplant", "Status"], [
            [x.titel, kommune.massnahmenarten.get(x.art, x.art), x.beschlussvorlage or "–", x.durchfuehrung or "–",
             _eur(x.kosten_geplant), x.status] for x in massnahmen], breiten_cm=[4.5, 2.7, 2.3, 3.3, 2.2, 2]))
    else:
        dok.add(d.Absatz("Keine Maßnahmen beschlossen."))
    dok.add(d.Ueberschrift("Verteiler (3.2.3)", 1))
    dok.add(d.Liste(verteiler(kommune, sz)))
    if sz.versendet_am:
        dok.add(d.Absatz(f"Versendet am {sz.versendet_am:%d.%m.%Y} von {anzeigename(session, sz.versendet_von)}.",
                         klein=True))
    return dok


def anzeigename(session: Session, login: str | None) -> str:
    """Der Name einer Person statt ihres Logins (Schriftstücke gehen nach außen); unbekannt → das Login."""
    if not login:
        return "–"
    name = session.scalar(select(m.Benutzer.anzeigename).where(m.Benutzer.login == login))
    return name or login


def _punkttext(z: Any) -> str:
    text = z["text"]
    if z["fallbesprechung"]:
        freigabe = "anonymisiert" if z["anonymisiert"] else "Schweigepflichtsentbindung liegt vor"
        text = f"[Fallbesprechung, {freigabe}] {text}"
    return text


def _bezuege(z: Any) -> str:
    teile = [("Einrichtungen", z["einrichtungen"]), ("Netzwerke", z["netzwerke"]), ("Stadtteile", z["stadtteile"]),
             ("fehlt", z["fehlende_ressourcen"])]
    return "; ".join(f"{k}: {v}" for k, v in teile if v) or "–"


def schreibe_protokoll(session: Session, kommune: Any, sitzung_id: int, pfad: str | Path, *,
                       akteur: Akteur | None) -> Path:
    """Schreibt das Protokoll nach Dateiendung (.docx/.pdf), atomar."""
    return d.speichere(protokoll_dokument(session, kommune, sitzung_id, akteur=akteur), pfad)


def _titel(sz: m.Sitzung) -> str:
    gremium = sz.sozialraum.name + (f" – {sz.teilgremium.name}" if sz.teilgremium else "")
    return f"Ergebnisprotokoll Sozialraumgremium {gremium}, Sitzung am {sz.datum:%d.%m.%Y}"


def sende_protokoll(session: Session, akteur: Akteur, kommune: Any, einstellungen: Any, sitzung_id: int,
                    empfaenger: list[str]) -> m.Sitzung:
    """Sendet das Ergebnisprotokoll als PDF an `empfaenger` und vermerkt den Versand (R8: wer, wann).

    Versenden darf, wer den Status auf „versendet“ setzen darf (Protokollführung oder Teamleitung ASD, geprüft
    in der Datenschicht vor dem Senden). Gibt die Sitzung zurück.
    """
    pruefe_smtp(einstellungen, "das Protokoll")
    adressen = pruefe_adressen(empfaenger)
    sz = markiere_versendet(session, akteur, sitzung_id=sitzung_id)  # Flush: Rechte und Status vor dem Senden
    pdf = d.als_pdf(protokoll_dokument(session, kommune, sitzung_id, akteur=akteur))
    nachricht = EmailMessage()
    nachricht["Subject"] = _titel(sz)
    nachricht["From"] = einstellungen.smtp_absender
    nachricht["To"] = ", ".join(adressen)
    liste = "\n".join(f"- {e}" for e in verteiler(kommune, sz))
    nachricht.set_content(
        f"Guten Tag,\n\nanbei das Ergebnisprotokoll der Sitzung des Sozialraumgremiums "
        f"{sz.teilgremium.name if sz.teilgremium else sz.sozialraum.name} am {sz.datum:%d.%m.%Y} (PDF).\n\n"
        f"Verteiler (Konzeption 3.2.3):\n{liste}\n\n{PROTOKOLL_HINWEIS}\n\n"
        f"Mit freundlichen Grüßen\n{sz.protokollfuehrung or kommune.amt}\n")
    nachricht.add_attachment(pdf, maintype="application", subtype="pdf",
                             filename=f"protokoll-{sz.datum:%Y-%m-%d}.pdf")
    sende(nachricht, einstellungen, was="das Protokoll")
    return sz
