"""Schreibt den Gremiums-Teil der Demo-Daten (Sitzungen, Protokolle, Maßnahmen, Budgets, Hospitationen,
Reflexionen, Stufenbeschlüsse, Teilgremien) in die laufende Transaktion; Aufrufer: `daten.demo_laden`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.demo import DemoDaten
from daten.demo.sitzungen import stufe_am


def lade_gremium(s: Session, demo: DemoDaten, sozialraeume: dict[str, m.Sozialraum],
                 stadtteile: dict[str, m.Stadtteil], einr: dict[str, m.Einrichtung]) -> None:
    s.flush()
    netze = {n.schluessel: n for n in s.scalars(select(m.Netzwerk))}
    teile = {}
    for d in demo.teilgremien:
        t = m.Teilgremium(sozialraum_id=sozialraeume[d["sozialraum"]].id, name=d["name"],
                          gueltig_ab=d["gueltig_ab"], beschluss=d["beschluss"],
                          stadtteile=[stadtteile[st] for st in d["stadtteile"]])
        s.add(t)
        teile[d["name"]] = t
    for d in demo.budgets:  # vor den Maßnahmen: die Datenschicht prüft Maßnahmen gegen das Budget
        s.add(m.Budget(sozialraum=sozialraeume[d["sozialraum"]], jahr=d["jahr"], kategorie=d["kategorie"],
                       betrag_eur=d["betrag_eur"]))
    s.flush()
    sitzungen = {d["schluessel"]: _sitzung(s, d, sozialraeume, stadtteile, einr, netze, teile)
                 for d in demo.sitzungen}
    s.flush()
    teamleitung = {d["name"]: f"tl{i:02d}" for i, d in enumerate(demo.sozialraeume, start=1)}
    for d in demo.stufenbeschluesse:  # 3.1: Stufe für Stufe, eingetragen von der Teamleitung des Gremiums
        s.add(m.Stufenbeschluss(sozialraum_id=sozialraeume[d["sozialraum"]].id, stufe=d["stufe"],
                                gueltig_ab=d["gueltig_ab"], beschluss=d["beschluss"],
                                beschlossen_von=teamleitung.get(d["sozialraum"])))
    for d in demo.lenkungsberichte:  # 4.2
        s.add(m.Lenkungsbericht(sozialraum_id=sozialraeume[d["sozialraum"]].id, jahr=d["jahr"], datum=d["datum"],
                                erstattet_von=d["erstattet_von"], inhalt=d["inhalt"]))
    for sr in sozialraeume.values():  # aktuelle Stufe = die am Stichtag der Demo geltende
        sr.stufe = stufe_am(demo.stufenbeschluesse, sr.name, demo.stichtag)
    for d in demo.massnahmen:
        sz = sitzungen[d["sitzung"]]
        s.add(m.Massnahme(
            schluessel=d["schluessel"], sozialraum=sozialraeume[d["sozialraum"]], sitzung_id=sz.id,
            protokollpunkt=sz.punkte[d["punkt"]], titel=d["titel"], art=d["art"],
            beschlussvorlage=d.get("beschlussvorlage"), kosten_geplant=d["kosten_geplant"],
            kosten_ist=d.get("kosten_ist"), umgesetzt_am=d.get("umgesetzt_am"), durchfuehrung=d.get("durchfuehrung"),
            genehmigt=d["genehmigt"],
            genehmigt_von=d.get("genehmigt_von"), genehmigt_am=d.get("genehmigt_am"), status=d["status"],
            jahr=d["jahr"]))
    for d in demo.hospitationen:
        s.add(m.Hospitation(von=einr[d["von"]], nach=einr[d["nach"]], datum=d["datum"], bereich=d.get("bereich"),
                            anzahl_personen=d["anzahl_personen"], zweck=d.get("zweck")))
    reflexionen: list[m.Reflexion] = []
    for d in demo.reflexionen:
        r = m.Reflexion(jahr=d["jahr"], datum=d["datum"], art=d["art"], zeitraum_von=d["zeitraum_von"],
                        zeitraum_bis=d["zeitraum_bis"], teilnehmende=d["teilnehmende"], delegierte=d["delegierte"],
                        ergebnisse=d["ergebnisse"], vorschlaege=d["vorschlaege"],
                        dokumentiert_von=d["dokumentiert_von"])
        if d["vorsitzung"] is not None:
            s.flush()
            r.vorsitzung_id = reflexionen[d["vorsitzung"]].id
        s.add(r)
        reflexionen.append(r)


def _sitzung(s: Session, d: dict[str, Any], sozialraeume: dict[str, m.Sozialraum],
             stadtteile: dict[str, m.Stadtteil], einr: dict[str, m.Einrichtung], netze: dict[str, m.Netzwerk],
             teile: dict[str, m.Teilgremium]) -> m.Sitzung:
    sz = m.Sitzung(
        schluessel=d["schluessel"], sozialraum=sozialraeume[d["sozialraum"]], datum=d["datum"], beginn=d["beginn"],
        ende=d["ende"], ort=einr.get(d["ort"]), teilgremium=teile.get(d["teilgremium"]) if d["teilgremium"] else None,
        protokollfuehrung=d["protokollfuehrung"], protokoll_bereich=d["protokoll_bereich"],
        protokoll_login=d["protokoll_login"], protokoll_bereich_grund=d["protokoll_bereich_grund"],
        status=d["status"], eingeladene=list(d["eingeladene"]),
        teilnehmende=list(d["teilnehmende"]), versendet_von=d["versendet_von"], versendet_am=d["versendet_am"])
    for p in d["punkte"]:
        sz.punkte.append(m.Protokollpunkt(
            frage=p["frage"], handlungsebene=p["handlungsebene"], text=p["text"], fallbesprechung=p["fallbesprechung"],
            anonymisiert=p["anonymisiert"], schweigepflichtentbindung=p["schweigepflichtentbindung"],
            bezug=[einr[k] for k in p["bezug"]], netzwerke=[netze[k] for k in p["netzwerke"]],
            stadtteile=[stadtteile[n] for n in p["stadtteile"]],
            fehlende_ressourcen=[m.FehlendeRessource(bezeichnung=f["bezeichnung"], geometrie=f["geometry"])
                                 for f in p["fehlende_ressourcen"]]))
    if d["delegation"]:
        dl = d["delegation"]
        sz.delegationen.append(m.Protokolldelegation(von_login=dl["von"], an_name=dl["an_name"],
                                                     an_bereich=dl["an_bereich"], an_login=dl["an_login"],
                                                     zeitpunkt=dl["zeitpunkt"],
                                                     grund=dl["grund"]))
    s.add(sz)
    return sz
