"""Budget je Sozialraum, Jahr und Kategorie (R10, R12): setzen (Jugendhilfeplanung), lesen, nach Bedarf verteilen.

Die Übersicht (geplant/genehmigt/ausgegeben/Rest je Art, Warnung ab 80 % des Deckels) rechnet
`analysen.gremium.budget_uebersicht` aus den Frames von `budgets_und_massnahmen`.

Ein Jahr ohne Budgetzeile hat *kein* Budget von 0 €, sondern noch keines: Maßnahmen lassen sich dafür erst
beantragen, wenn die Jugendhilfeplanung es eingetragen hat (`pruefe_budget_eingetragen`); die Übersicht zeigt
dann „noch kein Budget eingetragen“ (`analysen.gremium.KEIN_BUDGET`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik
from daten.fehler import EingabeFehler
from daten.politik import Akteur

BUDGET_SPALTEN = ["sozialraum_id", "sozialraum", "jahr", "kategorie", "betrag_eur"]
# Wer Budgets einträgt (daten.politik: Fachrecht „budget_setzen“, fachlich die Jugendhilfeplanung; die
# Administration nur technisch) und wo.
WER_BUDGET_EINTRAEGT = "Budgets trägt die {} auf der Seite „Budget“ ein".format(" bzw. ".join(
    politik.ROLLEN[r] for r in politik.FACHRECHTE["budget_setzen"] if r != politik.ADMIN))
MASSNAHME_SPALTEN = ["id", "sozialraum_id", "sozialraum", "jahr", "art", "status", "titel", "kosten_geplant",
                     "kosten_ist", "umgesetzt_am", "genehmigt", "genehmigt_von", "genehmigt_am", "sitzung_id",
                     "protokollpunkt_id",
                     "beschlussvorlage", "durchfuehrung", "ueberschreitung_grund", "version"]


def verteile_nach_bedarf(bedarf: dict[str, float], summe_eur: float, *, sockel_anteil: float = 0.4,
                         runden_auf_eur: float = 500.0) -> dict[str, float]:
    """Verteilt `summe_eur`: `sockel_anteil` gleich auf alle, der Rest im Verhältnis des Bedarfs (R14).

    `bedarf` z. B. Kinder in SGB-II-Bedarfsgemeinschaften je Sozialraum (Anteil × Kinderzahl). Gerundet auf
    `runden_auf_eur`; ohne Bedarf (alle 0) gleich verteilt.
    """
    if not bedarf:
        return {}
    if not 0 <= sockel_anteil <= 1 or summe_eur < 0:
        raise EingabeFehler("Sockelanteil muss zwischen 0 und 1 liegen und die Summe darf nicht negativ sein.")
    gesamt = sum(max(v, 0.0) for v in bedarf.values())
    n = len(bedarf)
    ergebnis = {}
    for name, wert in bedarf.items():
        anteil = max(wert, 0.0) / gesamt if gesamt > 0 else 1 / n
        roh = summe_eur * (sockel_anteil / n + (1 - sockel_anteil) * anteil)
        ergebnis[name] = float(round(roh / runden_auf_eur) * runden_auf_eur)
    return ergebnis


def setze_budget(session: Session, akteur: Akteur, *, sozialraum_id: int, jahr: int, kategorie: str,
                 betrag_eur: float) -> m.Budget:
    """Legt das Budget an oder ändert es (nur Jugendhilfeplanung/Administration; geprüft in der Datenschicht)."""
    if betrag_eur is None or betrag_eur < 0:
        raise EingabeFehler("Budget: bitte einen Betrag ≥ 0 € angeben.")
    b = session.scalar(select(m.Budget).where(m.Budget.sozialraum_id == sozialraum_id, m.Budget.jahr == jahr,
                                              m.Budget.kategorie == kategorie))
    if b is None:
        b = m.Budget(sozialraum_id=sozialraum_id, jahr=jahr, kategorie=kategorie, betrag_eur=float(betrag_eur))
        session.add(b)
    else:
        b.betrag_eur = float(betrag_eur)
    session.flush()
    return b


def budgetkategorie_fuer(kommune: Any, art: str) -> Any | None:
    """Die Budgetkategorie, aus deren Budget eine Maßnahmenart bezahlt wird: eine Unterkategorie (`anteil_von`,
    z. B. Fortbildung/Supervision) aus ihrer Oberkategorie. None, wenn die Art gegen kein Budget zählt."""
    kategorien = {k.schluessel: k for k in kommune.budgetkategorien}
    k = kategorien.get(art)
    if k is not None and k.anteil_von:
        k = kategorien.get(k.anteil_von)
    return k


def kein_budget_meldung(jahr: int, sozialraum: str, kategorie: str | None = None) -> str:
    """„Für 2027 ist noch kein Budget eingetragen …“ mit Sozialraum, ggf. Kategorie und wer es einträgt."""
    was = f"Sozialraum {sozialraum}" + (f", {kategorie}" if kategorie else "")
    return (f"Für {jahr} ist noch kein Budget eingetragen ({was}). {WER_BUDGET_EINTRAEGT}; "
            f"erst danach lassen sich Maßnahmen für {jahr} beantragen.")


def budget_eingetragen(session: Session, *, sozialraum_id: int, jahr: int, kategorie: str) -> bool:
    """True, wenn für Sozialraum, Jahr und Kategorie eine Budgetzeile besteht (auch mit 0 €)."""
    return session.scalar(select(m.Budget.id).where(
        m.Budget.sozialraum_id == sozialraum_id, m.Budget.jahr == jahr, m.Budget.kategorie == kategorie)) is not None


def pruefe_budget_eingetragen(session: Session, kommune: Any, *, sozialraum_id: int, jahr: int, art: str) -> None:
    """EingabeFehler mit `kein_budget_meldung`, wenn die Maßnahmenart in diesem Jahr gegen ein Budget zählt, das
    für den Sozialraum noch nicht eingetragen ist. Ein fehlendes Budget ist nicht 0 €: die Maßnahme wartet."""
    kategorie = budgetkategorie_fuer(kommune, art)
    if kategorie is None or budget_eingetragen(session, sozialraum_id=sozialraum_id, jahr=jahr,
                                               kategorie=kategorie.schluessel):
        return
    sr = session.get(m.Sozialraum, sozialraum_id)
    raise EingabeFehler(kein_budget_meldung(jahr, sr.name if sr else str(sozialraum_id), kategorie.bezeichnung))


def budgets_und_massnahmen(session: Session, *, jahr: int | None = None,
                           sozialraum_id: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(Budgets, Maßnahmen) als DataFrames mit den Spalten BUDGET_SPALTEN bzw. MASSNAHME_SPALTEN – dieselben Frames für
    die Seite „Budget“ und den Jahresbericht (`daten.berichtsdaten`), damit beide dasselbe zählen."""
    qb = select(m.Budget, m.Sozialraum.name).join(m.Sozialraum)
    qm = select(m.Massnahme, m.Sozialraum.name).join(m.Sozialraum)
    if jahr is not None:
        qb, qm = qb.where(m.Budget.jahr == jahr), qm.where(m.Massnahme.jahr == jahr)
    if sozialraum_id is not None:
        qb = qb.where(m.Budget.sozialraum_id == sozialraum_id)
        qm = qm.where(m.Massnahme.sozialraum_id == sozialraum_id)
    budgets = pd.DataFrame([{"sozialraum_id": b.sozialraum_id, "sozialraum": name, "jahr": b.jahr,
                             "kategorie": b.kategorie, "betrag_eur": b.betrag_eur}
                            for b, name in session.execute(qb.order_by(m.Sozialraum.reihenfolge, m.Budget.jahr))],
                           columns=BUDGET_SPALTEN)
    zeilen = []
    for x, name in session.execute(qm.order_by(m.Sozialraum.reihenfolge, m.Massnahme.jahr, m.Massnahme.id)):
        zeilen.append({**{k: getattr(x, k) for k in MASSNAHME_SPALTEN if k != "sozialraum"}, "sozialraum": name})
    return budgets, pd.DataFrame(zeilen, columns=MASSNAHME_SPALTEN)
