"""Demo-Ergebnisprotokolle entlang der acht Fragen: Punkte aus `texte.yaml`, grammatisch und zur Runde passend.

Ein Punkt nennt nur Arbeitsfelder, die in der Sitzung vertreten sind (`braucht`), und lässt nur
anwesende Einrichtungen selbst berichten (`anwesend`). Bezüge: Einrichtungen, Netzwerke, Stadtteile;
bei Frage 6 wird eine fehlende Ressource als Punkt (EPSG:4326) verortet.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from shapely.geometry import Point

from daten.demo._stammdaten import texte


def _waehle(liste: list[Any], rng: np.random.Generator) -> Any:
    return liste[int(rng.integers(len(liste)))]


def _mit_artikel(e: dict[str, Any]) -> dict[str, str]:
    nom, dat, akk = texte()["artikel"].get(e["art"], ["die", "der", "die"])
    return {"einrichtung": e["name"], "die_einrichtung": f"{nom} {e['name']}",
            "Die_einrichtung": f"{nom.capitalize()} {e['name']}", "der_einrichtung": f"{dat} {e['name']}",
            "den_einrichtung": f"{akk} {e['name']}"}


def _moeglich(vorlage: dict[str, Any], kontext: dict[str, Any]) -> bool:
    if vorlage.get("fall") and not kontext["fall_erlaubt"]:
        return False
    if not set(vorlage.get("braucht", [])) <= kontext["anwesende_arten"]:
        return False
    if vorlage.get("netz") and not kontext["netze"].get(vorlage["netz"]):
        return False
    return bool(_pool(vorlage, kontext)) or "{" not in vorlage["text"].replace("{stadtteil}", "").replace(
        "{zielgruppe}", "").replace("{netzwerk}", "")


def _pool(vorlage: dict[str, Any], kontext: dict[str, Any]) -> list[dict[str, Any]]:
    arten = vorlage.get("arten")
    pool = [e for e in kontext["einrichtungen"] if not arten or e["art"] in arten]
    if vorlage.get("anwesend"):
        pool = [e for e in pool if e["schluessel"] in kontext["anwesende"]]
    return pool


def _fehlender_punkt(e: dict[str, Any], rng: np.random.Generator) -> Point:
    """Ein Punkt 10–20 m neben einer Einrichtung (EPSG:4326; bleibt im Stadtteil: Einrichtungen haben 25 m Rand)."""
    winkel = float(rng.uniform(0, 2 * np.pi))
    meter = float(rng.uniform(10, 20))
    return Point(e["geometry"].x + meter * np.cos(winkel) / 71_500, e["geometry"].y + meter * np.sin(winkel) / 111_200)


def _punkt(frage: int, vorlage: dict[str, Any], kontext: dict[str, Any], rng: np.random.Generator,
           ebenen: list[str]) -> dict[str, Any]:
    pool = _pool(vorlage, kontext) or kontext["einrichtungen"]
    einrichtung = _waehle(pool, rng)
    netze = kontext["netze"].get(vorlage.get("netz"), [])
    frisch = [n for n in netze if n["schluessel"] not in kontext["genannt"]] or netze
    netz = _waehle(frisch, rng) if frisch else None
    if netz:
        kontext["genannt"].add(netz["schluessel"])
    stadtteil = _waehle(kontext["stadtteile"], rng)
    werte = {"stadtteil": stadtteil, "zielgruppe": _waehle(texte()["zielgruppen_fokus"], rng),
             "netzwerk": netz["name"] if netz else "", **_mit_artikel(einrichtung)}
    roh = vorlage["text"]
    fall = vorlage.get("fall")
    fehlend = []
    if vorlage.get("fehlend"):
        im_teil = [e for e in kontext["einrichtungen"] if e["stadtteil"] == stadtteil] or [einrichtung]
        fehlend.append({"bezeichnung": f"{vorlage['fehlend']} ({stadtteil})",
                        "geometry": _fehlender_punkt(_waehle(im_teil, rng), rng)})
    return {
        "frage": frage,
        "handlungsebene": vorlage["ebene"] if vorlage["ebene"] in ebenen else ebenen[0],
        "text": roh.format(**werte),
        "fallbesprechung": bool(fall),
        "anonymisiert": fall == "anonymisiert",
        "schweigepflichtentbindung": fall == "schweigepflichtentbindung",
        "bezug": [einrichtung["schluessel"]] if "einrichtung}" in roh else [],
        "netzwerke": [netz["schluessel"]] if netz and "{netzwerk}" in roh else [],
        "stadtteile": [stadtteil] if "{stadtteil}" in roh else [],
        "fehlende_ressourcen": fehlend,
    }


def protokoll(kommune: Any, sr: Any, stadtteile: list[str], einrichtungen: list[dict[str, Any]],
              netzwerke: list[dict[str, Any]], teilnehmende: list[dict[str, Any]], rng: np.random.Generator, *,
              fall_erlaubt: bool) -> list[dict[str, Any]]:
    """Mindestens ein Punkt je Frage; höchstens eine Fallbesprechung je Sitzung."""
    vorlagen = texte()["punkte"]
    ebenen = list(kommune.handlungsebenen)
    nach_schluessel = {e["schluessel"]: e for e in einrichtungen}
    anwesende = {t["einrichtung"] for t in teilnehmende if t["einrichtung"]}
    kontext = {
        "einrichtungen": [e for e in einrichtungen if e["stadtteil"] in stadtteile and e["gueltig_bis"] is None],
        "stadtteile": stadtteile,
        "anwesende": anwesende,
        "anwesende_arten": {nach_schluessel[k]["art"] for k in anwesende if k in nach_schluessel},
        "netze": {
            "besteht": [n for n in netzwerke if n["status"] == "besteht" and n["sozialraum"] in (sr.name, None)],
            "soll": [n for n in netzwerke if n["status"] != "besteht" and n["sozialraum"] == sr.name],
        },
        "genannt": set(),
        "fall_erlaubt": fall_erlaubt,
    }
    punkte: list[dict[str, Any]] = []
    for frage in range(1, len(kommune.fragen) + 1):
        moeglich = [v for v in vorlagen.get(frage, []) if _moeglich(v, kontext)]
        if not moeglich:
            moeglich = [{"ebene": ebenen[-1], "text": "Zu dieser Frage gab es keine neuen Punkte; sie bleibt auf der "
                                                      "Tagesordnung."}]
        anzahl = min(len(moeglich), int(rng.integers(1, 4 if frage in (2, 3) else 3)))
        for i in rng.choice(len(moeglich), size=anzahl, replace=False):
            if moeglich[int(i)].get("fall") and not kontext["fall_erlaubt"]:
                continue  # höchstens eine Fallbesprechung je Sitzung
            punkt = _punkt(frage, moeglich[int(i)], kontext, rng, ebenen)
            if punkt["fallbesprechung"]:
                kontext["fall_erlaubt"] = False
            punkte.append(punkt)
    return punkte
