"""Import von Indikatoren je Stadtteil und Jahr: lange Tabelle (Stadtteil, Jahr, Merkmal, Wert) oder breite
(Stadtteil, Jahr, je Merkmal eine Spalte). Merkmale werden gegen die Kommune-Konfiguration geprüft."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune
from daten.fehler import EingabeFehler
from daten.importe.bericht import Bericht
from daten.importe.lesen import Quelle, lies
from daten.importe.namen import Namensliste, meinten_sie
from daten.importe.spalten import lies_spaltenangaben, ordne_spalten
from daten.importe.zahlen import KeineZahl, lies_ganzzahl, lies_zahl

Fortschritt = Callable[[float, str], None]
INDIKATOR_ZIELE: dict[str, list[str]] = {
    "stadtteil": ["stadtteil", "ortsbezirk", "ortsteil", "stadtteilname", "gebiet"],
    "jahr": ["jahr", "year", "stichjahr", "berichtsjahr"],
    "merkmal": ["merkmal", "indikator", "kennzahl", "variable", "schluessel", "schlüssel"],
    "wert": ["wert", "value", "anzahl"],
    "quelle": ["quelle", "source", "datenquelle"],
}
JAHR_MIN = 1900


@dataclass(frozen=True)
class IndikatorOptionen:
    """`spalten`: ZIEL=QUELLE; `merkmale`: WORT=SCHLÜSSEL für abweichende Merkmalsnamen; `jahr`: für breite
    Tabellen ohne Jahresspalte."""

    spalten: tuple[str, ...] = ()
    merkmale: tuple[str, ...] = ()
    jahr: int | None = None


@dataclass
class IndikatorPlan:
    bericht: Bericht
    quelle: str
    format: str = ""
    zeilen: list[dict[str, Any]] = field(default_factory=list)

    def vorschau(self) -> pd.DataFrame:
        spalten = ["zeile", "aktion", "stadtteil", "jahr", "merkmal", "wert", "quelle"]
        return pd.DataFrame([{k: z.get(k) for k in spalten} for z in self.zeilen], columns=spalten)

    def zusammenfassung(self) -> str:
        n = pd.Series([z["aktion"] for z in self.zeilen], dtype=object).value_counts()
        return (f"{self.format}: {n.get('neu', 0)} neu, {n.get('ändern', 0)} zu ändern, "
                f"{n.get('unverändert', 0)} unverändert")


def _merkmalsliste(kommune: Kommune, angaben: tuple[str, ...]) -> Namensliste:
    schluessel = [mk.schluessel for mk in kommune.merkmale]
    weitere = {mk.bezeichnung: mk.schluessel for mk in kommune.merkmale}
    for a in angaben:
        wort, gleich, ziel = a.rpartition("=")
        if not gleich or not wort.strip() or ziel.strip() not in schluessel:
            raise EingabeFehler(f"--merkmal '{a}': bitte als WORT=SCHLÜSSEL mit einem Merkmal der Konfiguration "
                                f"angeben ({', '.join(schluessel)}).")
        weitere[wort.strip()] = ziel.strip()
    return Namensliste(schluessel, weitere=weitere)


def _jahr(text: str, nr: int, feld: str, bericht: Bericht) -> int | None:
    try:
        j, _ = lies_ganzzahl(text, deutsch=False)
    except KeineZahl:
        bericht.fehler(nr, feld, f"'{text}' ist kein Jahr.", "Vierstellige Jahreszahl eintragen.")
        return None
    if not JAHR_MIN <= j <= date.today().year + 1:
        bericht.fehler(nr, feld, f"Jahr {j} liegt außerhalb {JAHR_MIN}–{date.today().year + 1}.", "Jahr prüfen.")
        return None
    return j


def pruefe_indikatoren(s: Session, kommune: Kommune, quelle: Quelle, optionen: IndikatorOptionen,
                       fortschritt: Fortschritt | None = None) -> IndikatorPlan:
    """Liest und prüft die Tabelle und vergleicht mit der Datenbank (schreibt nichts)."""
    melde = fortschritt or (lambda _a, _t: None)
    bericht = Bericht(quelle.name)
    plan = IndikatorPlan(bericht, f"Import: {quelle.name}")
    angaben = lies_spaltenangaben(list(optionen.spalten), INDIKATOR_ZIELE)
    merkmale = _merkmalsliste(kommune, optionen.merkmale)
    roh = lies(quelle, bericht)
    if roh.werte.empty:
        raise EingabeFehler(f"{quelle.name} enthält keine Datenzeilen.")
    deutsch = roh.zusatz.get("trennzeichen") == ";"
    spalten = ordne_spalten(list(roh.werte.columns), angaben, INDIKATOR_ZIELE, bericht)
    if "stadtteil" not in spalten:
        raise EingabeFehler(f"{quelle.name}: keine Spalte für den Stadtteil gefunden (Spalten: "
                            f"{', '.join(roh.werte.columns[:20])}). Bitte --spalte stadtteil=SPALTE angeben.")
    if "jahr" not in spalten and optionen.jahr is None:
        raise EingabeFehler(f"{quelle.name}: keine Spalte 'Jahr'. Bitte --spalte jahr=SPALTE oder --jahr JJJJ angeben.")
    stadtteile = Namensliste(kommune.stadtteile)
    lang = "merkmal" in spalten and "wert" in spalten
    plan.format = "lange Tabelle" if lang else "breite Tabelle"
    if lang:
        eintraege = _lang(roh.werte, spalten)
    else:
        eintraege = _breit(roh.werte, spalten, merkmale, kommune, bericht)
    melde(0.3, f"{len(eintraege)} Werte gelesen ({plan.format})")
    einheiten = {mk.schluessel: mk.einheit for mk in kommune.merkmale}
    gesehen: dict[tuple, int] = {}
    for nr, st_text, jahr_text, mk_text, wert_text, feld, quelle_text in eintraege:
        st = stadtteile.finde(st_text)
        if st.name is None:
            bericht.fehler(nr, spalten["stadtteil"], f"'{st_text}' ist kein Stadtteil der Konfiguration. "
                           + meinten_sie(st, alle=kommune.stadtteile), "Schreibweise korrigieren.")
        jahr = optionen.jahr if "jahr" not in spalten else _jahr(jahr_text, nr, spalten["jahr"], bericht)
        mk = merkmale.finde(mk_text) if lang else merkmale.finde(feld)
        if mk.name is None and lang:
            bericht.fehler(nr, spalten["merkmal"], f"Merkmal '{mk_text}' gibt es in der Konfiguration nicht. "
                           + meinten_sie(mk, alle=merkmale.namen),
                           f"Schlüssel verwenden oder --merkmal '{mk_text}=SCHLÜSSEL' angeben.")
        wert = None
        if wert_text.strip():
            try:
                wert, hinweis = lies_zahl(wert_text, deutsch=deutsch)
                if hinweis:
                    bericht.hinweis(nr, feld, hinweis + ".", "Falls falsch: Wert mit Komma als Dezimalzeichen.")
            except KeineZahl as exc:
                bericht.fehler(nr, feld, f"Wert: {exc}.", "Zahl eintragen (z. B. 1.234,5 oder 1234.5).")
        elif lang:
            bericht.fehler(nr, feld, "Wert fehlt.", "Wert eintragen oder Zeile überspringen.")
        if wert is not None and mk.name:
            if einheiten[mk.name].strip() == "%" and not 0 <= wert <= 100:
                bericht.fehler(nr, feld, f"Anteil {wert} liegt nicht zwischen 0 und 100 %.", "Wert in Prozent angeben.")
            elif wert < 0:
                bericht.fehler(nr, feld, f"Wert {wert} ist negativ.", "Wert prüfen.")
        if st.name and jahr and mk.name and wert is not None:
            k = (st.name, jahr, mk.name)
            if k in gesehen:
                bericht.fehler(nr, feld, f"{st.name} {jahr} {mk.name} steht schon in Zeile {gesehen[k]}.",
                               "Doppelte Angabe entfernen.")
                continue
            gesehen[k] = nr
            plan.zeilen.append({"zeile": nr, "stadtteil": st.name, "jahr": jahr, "merkmal": mk.name, "wert": wert,
                                "quelle": quelle_text or plan.quelle})
    plan.zeilen = [z for z in plan.zeilen if z["zeile"] not in bericht.fehlerzeilen]
    _vergleiche(s, plan)
    melde(0.9, "mit der Datenbank verglichen")
    return plan


def _lang(werte: pd.DataFrame, spalten: dict[str, str]) -> list[tuple]:
    q = spalten.get("quelle")
    return [(int(nr), z[spalten["stadtteil"]], z[spalten["jahr"]] if "jahr" in spalten else "",
             z[spalten["merkmal"]], z[spalten["wert"]], spalten["wert"], z[q] if q else "")
            for nr, z in werte.iterrows()]


def _breit(werte: pd.DataFrame, spalten: dict[str, str], merkmale: Namensliste, kommune: Kommune,
           bericht: Bericht) -> list[tuple]:
    belegt = {spalten[k] for k in ("stadtteil", "jahr", "quelle") if k in spalten}
    merkmalsspalten = []
    for sp in werte.columns:
        if sp in belegt:
            continue
        t = merkmale.finde(sp)
        if t.name is None:
            bericht.fehler(1, sp, f"Spalte '{sp}' ist kein Merkmal der Konfiguration. "
                           + meinten_sie(t, alle=merkmale.namen),
                           f"Spalte umbenennen oder --merkmal '{sp}=SCHLÜSSEL' angeben; mit --zeilen-ueberspringen "
                           "wird die Spalte ausgelassen.")
        else:
            merkmalsspalten.append(sp)
    if not merkmalsspalten:
        raise EingabeFehler(f"{bericht.datei}: keine Spalte ist ein Merkmal der Konfiguration "
                            f"({', '.join(mk.schluessel for mk in kommune.merkmale)}). Lange Tabellen brauchen "
                            "die Spalten Merkmal und Wert.")
    q = spalten.get("quelle")
    return [(int(nr), z[spalten["stadtteil"]], z[spalten["jahr"]] if "jahr" in spalten else "", "", z[sp], sp,
             z[q] if q else "")
            for nr, z in werte.iterrows() for sp in merkmalsspalten if str(z[sp]).strip()]


def _vergleiche(s: Session, plan: IndikatorPlan) -> None:
    ids = {st.name: st.id for st in s.scalars(select(m.Stadtteil))}
    vorhanden = {(iw.stadtteil_id, iw.jahr, iw.merkmal): iw for iw in s.scalars(select(m.Indikatorwert))}
    for z in plan.zeilen:
        z["stadtteil_id"] = ids.get(z["stadtteil"])
        iw = vorhanden.get((z["stadtteil_id"], z["jahr"], z["merkmal"]))
        if iw is None:
            z["aktion"] = "neu"
        else:
            z["id"] = iw.id
            z["aktion"] = "unverändert" if (iw.wert == z["wert"] and iw.quelle == z["quelle"]) else "ändern"


def schreibe_indikatoren(s: Session, plan: IndikatorPlan, fortschritt: Fortschritt | None = None) -> dict[str, int]:
    """Legt Indikatorwerte an oder ändert sie über das ORM in `s`."""
    melde = fortschritt or (lambda _a, _t: None)
    ids = [z["id"] for z in plan.zeilen if "id" in z]
    q = select(m.Indikatorwert).where(m.Indikatorwert.id.in_(ids))
    vorhanden = {iw.id: iw for iw in s.scalars(q)} if ids else {}
    zahl = {"neu": 0, "ändern": 0, "unverändert": 0}
    for i, z in enumerate(plan.zeilen, start=1):
        zahl[z["aktion"]] += 1
        if z["aktion"] == "neu":
            s.add(m.Indikatorwert(stadtteil_id=z["stadtteil_id"], jahr=z["jahr"], merkmal=z["merkmal"],
                                  wert=z["wert"], quelle=z["quelle"]))
        elif z["aktion"] == "ändern":
            iw = vorhanden[z["id"]]
            iw.wert, iw.quelle = z["wert"], z["quelle"]
        if i % 500 == 0:
            s.flush()
            melde(i / len(plan.zeilen), f"{i} von {len(plan.zeilen)} geschrieben")
    s.flush()
    melde(1.0, "fertig")
    return zahl
