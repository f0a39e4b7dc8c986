"""Die eine erklärte Politik: wer was darf, wie eine Zeile ihren Sozialraum findet, was wann eingefroren ist.

Alles hier ist **Daten**, keine verstreute Logik:

- `ROLLEN`: die Rollen mit Bezeichnung.
- `TABELLEN`: je Tabelle der Weg zum Sozialraum (Fremdschlüsselkette), die Rechte je Rolle und Aktion
  (`anlegen`, `aendern`, `loeschen`) mit Umfang (`alle` oder `eigener` Sozialraum), die Felder, die
  nach einem Status eingefroren sind, und die registrierten Prüfungen der Konzeption (R2–R13).
- `FACHRECHTE`: Rechte, die keine Tabellenaktion sind (Protokolle lesen, Gremium leiten, Maßnahmen
  genehmigen, Konten verwalten, alles exportieren …).

Eine Funktion beantwortet jede Frage: `darf(akteur, aktion, objekt)`. Seiten, Dienste, Kommandozeile,
Bericht und die Prüfung vor dem Flush fragen sie; kein anderes Modul vergleicht Rollennamen.
Die Datenbank setzt dieselbe Erklärung durch (`daten.schutz`): SQLite über einen Autorisierer,
PostgreSQL über Zeilenrichtlinien (row-level security), die aus `TABELLEN` erzeugt werden.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, column, inspect, select, table
from sqlalchemy.orm import Session

from daten.werte import MASSNAHME_STATUS, NETZWERK_STATUS, SITZUNG_STATUS

ROLLEN: dict[str, str] = {
    "admin": "Administration (städtische IT)",
    "jugendhilfeplanung": "Jugendhilfeplanung",
    "teamleitung": "Teamleitung ASD",
    "mitglied": "Gremiumsmitglied",
    "lenkungsgruppe": "Lenkungsgruppe (nur lesen)",
    # 3.2.3: Abteilungs-, Sachgebiets- und Kita-Teamleitungen im Verteiler: lesen Protokolle (Sozialraum oder
    # stadtweit, wenn das Konto keinen Sozialraum hat), schreiben nichts
    "verteiler": "Verteiler (Protokolle lesen)",
}
ADMIN, TEAMLEITUNG = "admin", "teamleitung"  # für Abfragen über Konten (wer leitet, wer ist Administration)
AKTIONEN = ("anlegen", "aendern", "loeschen")
ALLE, EIGENER = "alle", "eigener"
# Umfang „eigener Sozialraum, ohne Sozialraum am Konto alle“ (3.2.3: Abteilungs- und Sachgebietsleitungen lesen
# stadtweit, Kita-Teamleitungen ihren Sozialraum). `umfang` löst ihn je Akteur zu ALLE oder EIGENER auf.
EIGENER_SONST_ALLE = "eigener_sonst_alle"


@dataclass(frozen=True)
class Akteur:
    """Wer gerade handelt: Login, Rolle, ggf. eigener Sozialraum (id)."""

    login: str
    rolle: str
    sozialraum_id: int | None = None
    anzeigename: str = field(default="", compare=False)


# Das System (Import, Wiederherstellung, Demo-Laden, Anmeldung) hat Admin-Rechte beim Schreiben über den
# ORM-Weg; Sammel-Anweisungen darf es nur in `daten.db.systemsitzung`. Kein Konto heißt "system".
SYSTEM = Akteur(login="system", rolle=ADMIN, anzeigename="System")


def ist_system(akteur: Akteur | None) -> bool:
    """Identität, nicht Gleichheit: ein Konto mit Login "system" ist nicht das System."""
    return akteur is SYSTEM


# ------------------------------------------------------------------------------------------ Erklärung
@dataclass(frozen=True)
class Weg:
    """Wie eine Zeile ihren Sozialraum findet: `spalte` dieser Tabelle, dann weiter über `eltern`.

    `Weg("sozialraum_id")` = die Spalte selbst; `Weg("stadtteil_id", "stadtteil")` = Sozialraum des
    Stadtteils, auf den `stadtteil_id` zeigt; `None` als Weg der Tabelle = stadtweit (kein Sozialraum).
    """

    spalte: str
    eltern: str | None = None


@dataclass(frozen=True)
class Einfrieren:
    """Nach `status` (in `statusfeld`, ggf. der Elterntabelle `ueber`) sind `felder` fest (leer = alle)."""

    statusfeld: str
    status: tuple[str, ...]
    felder: tuple[str, ...] = ()
    ueber: str | None = None  # Tabelle, deren Status zählt (Protokollpunkte: die Sitzung)
    ausser: tuple[str, ...] = ()  # Rollen, für die nicht eingefroren ist
    regel: str = ""


@dataclass(frozen=True)
class Tabelle:
    name: str
    weg: Weg | None
    rechte: Mapping[str, Mapping[str, str]]  # Rolle → Aktion → Umfang
    eingefroren: tuple[Einfrieren, ...] = ()
    pruefungen: tuple[str, ...] = ()  # Regeln der Konzeption, geprüft in daten.gremium.regeln
    bezeichnung: str = ""


def _r(anlegen: str | None = None, aendern: str | None = None, loeschen: str | None = None) -> dict[str, str]:
    return {a: u for a, u in zip(AKTIONEN, (anlegen, aendern, loeschen), strict=True) if u}


_ALLES = _r(ALLE, ALLE, ALLE)
_EIGEN = _r(EIGENER, EIGENER, EIGENER)
_SR = Weg("sozialraum_id")

TABELLEN: dict[str, Tabelle] = {t.name: t for t in (
    Tabelle("kommune", None, {}, bezeichnung="Kommune"),
    Tabelle("sozialraum", Weg("id"), {}, bezeichnung="Sozialraum"),
    Tabelle("stadtteil", _SR, {}, bezeichnung="Stadtteil"),
    Tabelle("einrichtung", Weg("stadtteil_id", "stadtteil"), {"teamleitung": _EIGEN}, bezeichnung="Einrichtung"),
    Tabelle("netzwerk", _SR, {"teamleitung": _EIGEN}, bezeichnung="Netzwerk"),
    Tabelle("netzwerk_mitglied", Weg("netzwerk_id", "netzwerk"), {"teamleitung": _EIGEN},
            bezeichnung="Netzwerkmitglied"),
    Tabelle("indikatorwert", Weg("stadtteil_id", "stadtteil"), {"jugendhilfeplanung": _ALLES},
            bezeichnung="Indikatorwert"),
    Tabelle("teilgremium", _SR, {"teamleitung": _EIGEN}, pruefungen=("R1 Teilgremium",),
            bezeichnung="Teilgremium"),
    Tabelle("teilgremium_stadtteil", Weg("teilgremium_id", "teilgremium"), {"teamleitung": _EIGEN},
            bezeichnung="Stadtteil eines Teilgremiums"),
    Tabelle("stufenbeschluss", _SR, {"teamleitung": _EIGEN, "jugendhilfeplanung": _ALLES},
            pruefungen=("R2 Stufen",), bezeichnung="Stufenbeschluss"),
    Tabelle("sitzung", _SR, {"teamleitung": _EIGEN, "mitglied": _r(None, EIGENER, None)},
            eingefroren=(Einfrieren("status", ("versendet",), ("datum", "beginn", "ende", "ort_id", "teilnehmende",
                                                             "protokoll_login", "protokollfuehrung"),
                                    regel="R8 versendetes Protokoll"),),
            pruefungen=("R4 Geschäftsführung", "R5 Rhythmus"), bezeichnung="Sitzung"),
    Tabelle("protokolldelegation", Weg("sitzung_id", "sitzung"), {"teamleitung": _EIGEN},
            bezeichnung="Protokolldelegation"),
    Tabelle("protokollpunkt", Weg("sitzung_id", "sitzung"), {"teamleitung": _EIGEN, "mitglied": _EIGEN},
            eingefroren=(Einfrieren("status", ("versendet",), ueber="sitzung", regel="R8 versendetes Protokoll"),),
            pruefungen=("R3 Datenschutz", "R4 Protokollführung", "R7 Fragen und Handlungsebenen"),
            bezeichnung="Protokollpunkt"),
    Tabelle("protokollpunkt_bezug", Weg("protokollpunkt_id", "protokollpunkt"),
            {"teamleitung": _EIGEN, "mitglied": _EIGEN}, bezeichnung="Bezug eines Protokollpunkts"),
    Tabelle("protokollpunkt_netzwerk", Weg("protokollpunkt_id", "protokollpunkt"),
            {"teamleitung": _EIGEN, "mitglied": _EIGEN}, bezeichnung="Netzwerk eines Protokollpunkts"),
    Tabelle("protokollpunkt_stadtteil", Weg("protokollpunkt_id", "protokollpunkt"),
            {"teamleitung": _EIGEN, "mitglied": _EIGEN}, bezeichnung="Stadtteil eines Protokollpunkts"),
    Tabelle("fehlende_ressource", Weg("protokollpunkt_id", "protokollpunkt"),
            {"teamleitung": _EIGEN, "mitglied": _EIGEN},
            eingefroren=(Einfrieren("status", ("versendet",), ueber="sitzung", regel="R8 versendetes Protokoll"),),
            pruefungen=("R3 Datenschutz",), bezeichnung="Fehlende Ressource"),
    Tabelle("massnahme", _SR, {"teamleitung": _EIGEN, "mitglied": _EIGEN},
            eingefroren=(Einfrieren("status", ("genehmigt", "beschlossen", "umgesetzt", "abgelehnt"),
                                    ausser=("teamleitung",),
                                    regel="R10 genehmigte Maßnahme, 5.3 Beschluss des Gremiums"),),
            pruefungen=("R7 Beschlussvorlage", "R10 Genehmigung", "R10 Umsetzung", "R12 Deckel",
                        "R12 Beschluss des Gremiums"), bezeichnung="Maßnahme"),
    Tabelle("budget", _SR, {"jugendhilfeplanung": _ALLES}, pruefungen=("R10 Budget", "R12 Deckel"),
            bezeichnung="Budget"),
    Tabelle("hospitation", Weg("von_id", "einrichtung"), {"teamleitung": _EIGEN, "mitglied": _EIGEN},
            pruefungen=("R13 Hospitation",), bezeichnung="Hospitation"),
    Tabelle("reflexion", None, {"jugendhilfeplanung": _ALLES}, pruefungen=("R11 Reflexion",),
            bezeichnung="Reflexion"),
    Tabelle("empfehlung", _SR, {"jugendhilfeplanung": _ALLES}, pruefungen=("R9 Empfehlungen",),
            bezeichnung="Empfehlung"),
    Tabelle("bewertung", _SR, {"jugendhilfeplanung": _ALLES}, bezeichnung="Einschätzung je Frage"),
    Tabelle("lenkungsbericht", _SR, {"teamleitung": _EIGEN, "jugendhilfeplanung": _ALLES},
            pruefungen=("R10 Bericht an die Lenkungsgruppe",), bezeichnung="Bericht an die Lenkungsgruppe"),
    Tabelle("benutzer", _SR, {}, bezeichnung="Benutzerkonto"),
    # Offene Daten: abgeleitet (Konfiguration, Kennzahlen); schreibt nur das System (daten.oeffentlich)
    Tabelle("offene_bezeichnung", None, {}, bezeichnung="Veröffentlichte Bezeichnung"),
    Tabelle("offene_kennzahl", None, {}, bezeichnung="Veröffentlichte Kennzahl"),
    Tabelle("anmeldesperre", None, {}, bezeichnung="Anmeldesperre"),
    # Das Änderungsprotokoll schreibt nur die Datenschicht (anfügen); ändern und löschen niemand.
    Tabelle("aenderung", None, {}, bezeichnung="Änderungsprotokoll"),
)}

# Öffentliche Daten (Offene Daten): die Sichten `oeffentlich_*` (daten/oeffentlich.py) sind die ganze öffentliche
# Oberfläche; die Datenbankrolle `LESEROLLE` liest nur sie (keine Basistabelle außer den Bezeichnungen). Je Sicht
# die festen Spalten; die Gebietssichten haben dazu je Kennzahl, die die Kommune-Konfiguration unter
# `offene_daten` freigibt, eine Spalte.
# Nie: interne ids, Versionen, Logins, Notizen, Bestätigt von, Schließgrund, Personennamen (Teamleitung),
# Protokolle, Maßnahmen, Budgets, Konten, Anmeldungen, Teilnahme, das Änderungsprotokoll. Die Kapazität steht nur
# drin, wenn die Konfiguration sie freigibt (`offene_daten.kapazitaet`), sonst ist sie leer.
LESEROLLE = "rk_lesen"
# Dazu liest sie die Bezeichnungen der Veröffentlichung (Arten, Trägerarten, Namen und Einheiten der freigegebenen
# Kennzahlen): sie sind selbst veröffentlicht und beschriften die Spalten der Gebietssichten.
OEFFENTLICHE_TABELLEN = ("offene_bezeichnung",)
OEFFENTLICH: dict[str, tuple[str, ...]] = {
    "oeffentlich_einrichtungen": ("schluessel", "name", "art", "art_bezeichnung", "traeger_art",
                                  "traeger_art_bezeichnung", "adresse", "stadtteil", "sozialraum", "zielgruppen",
                                  "angebote", "kapazitaet", "bestaetigt_am", "geometrie"),
    "oeffentlich_stadtteile": ("kennung", "nummer", "name", "sozialraum", "jahr", "stand", "geometrie"),
    "oeffentlich_sozialraeume": ("kennung", "nummer", "name", "stadtteile", "jahr", "stand", "geometrie"),
    "oeffentlich_netzwerke": ("schluessel", "name", "status", "beschreibung", "sozialraum", "koordination",
                              "mitglieder", "anzahl_mitglieder", "geometrie"),
}

# Erlaubte Wertemengen: Tabelle → Feld → Funktion(Kommune-Konfiguration) → erlaubte Werte (None, wo die Spalte
# NULL zulässt). Geprüft vor jedem Flush und bei Sammel-Einfügungen des Systems (daten.gueltigkeit).
WERTE: dict[str, dict[str, Callable[[Any], Iterable[Any]]]] = {
    "einrichtung": {
        "art": lambda k: [a.schluessel for a in k.einrichtungsarten],
        "traeger_art": lambda k: list(k.traegerarten),
    },
    "protokollpunkt": {
        "handlungsebene": lambda k: list(k.handlungsebenen),
        "frage": lambda k: range(1, len(k.fragen) + 1),
    },
    "massnahme": {
        "art": lambda k: list(k.massnahmenarten),
        "beschlussvorlage": lambda k: [*k.beschlussvorlagen, None],
        "status": lambda _k: list(MASSNAHME_STATUS),
    },
    "sitzung": {"status": lambda _k: list(SITZUNG_STATUS)},
    "netzwerk": {"status": lambda _k: list(NETZWERK_STATUS)},
    "bewertung": {"frage": lambda k: range(1, len(k.fragen) + 1)},
    "indikatorwert": {"merkmal": lambda k: [mk.schluessel for mk in k.merkmale]},
    "budget": {"kategorie": lambda k: [b.schluessel for b in k.budgetkategorien]},
    "benutzer": {"rolle": lambda _k: list(ROLLEN)},
    "sozialraum": {"stufe": lambda k: sorted(k.stufen) or [1, 2, 3]},
}

# Rechte, die keine Tabellenaktion sind: Aktion → Rolle → Umfang. Die Administration (städtische IT) hat hier
# nur, was ausdrücklich steht: fachliche Entscheidungen (Maßnahmen genehmigen) bleiben bei der Teamleitung.
FACHRECHTE: dict[str, dict[str, str]] = {
    # 3.2.3/R8: der Verteiler mit Konto liest Protokolle (auch Fallbesprechungen)
    "protokoll_lesen": {ADMIN: ALLE, "jugendhilfeplanung": ALLE, TEAMLEITUNG: EIGENER, "mitglied": EIGENER,
                        "verteiler": EIGENER_SONST_ALLE},
    # R4: Geschäftsführung des Gremiums (Termine, Einladung, Protokollführung, Status)
    "gremium_leiten": {ADMIN: ALLE, TEAMLEITUNG: EIGENER},
    # R10: Maßnahmen genehmigen oder ablehnen; genehmigte Maßnahmen ändern
    "massnahme_genehmigen": {TEAMLEITUNG: EIGENER},
    # R10/4.2: die Umsetzung (Ist-Kosten, Datum) einer genehmigten oder vom Gremium beschlossenen Maßnahme erfasst
    # die Teamleitung ASD des Sozialraums (sie überwacht das Budget)
    "massnahme_umsetzen": {TEAMLEITUNG: EIGENER},
    # R10: das Budget setzt die Jugendhilfeplanung; die Teamleitung überwacht es
    "budget_setzen": {ADMIN: ALLE, "jugendhilfeplanung": ALLE},
    "konten_verwalten": {ADMIN: ALLE},
    "einrichtung_endgueltig_loeschen": {ADMIN: ALLE},
    # Einträge, die lange nicht bestätigt wurden, zur Prüfung vorlegen (Start-Seite)
    "frische_pruefen": {ADMIN: ALLE, "jugendhilfeplanung": ALLE, TEAMLEITUNG: EIGENER},
}


# ------------------------------------------------------------------------------------------ Fragen
@dataclass(frozen=True)
class Ziel:
    """Ein Objekt, über das entschieden wird: Tabelle (oder Fachrecht) und Sozialraum (None = stadtweit)."""

    tabelle: str
    sozialraum_id: int | None = None


def umfang(akteur: Akteur | None, aktion: str, tabelle: str | None = None) -> str | None:
    """`alle`, `eigener` oder None: in welchem Umfang `akteur` `aktion` (an `tabelle`) darf."""
    if akteur is None:
        return None
    if aktion in FACHRECHTE:
        u = FACHRECHTE[aktion].get(akteur.rolle)
        if u == EIGENER_SONST_ALLE:
            return ALLE if akteur.sozialraum_id is None else EIGENER
        return u
    if akteur.rolle == ADMIN:
        return ALLE
    t = TABELLEN.get(tabelle or "")
    if t is None or aktion not in AKTIONEN:
        raise KeyError(f"Unbekannte Aktion/Tabelle in der Politik: {aktion!r} / {tabelle!r}")
    return t.rechte.get(akteur.rolle, {}).get(aktion)


def darf(akteur: Akteur | None, aktion: str, objekt: Ziel | str | Any, *, session: Session | None = None) -> bool:
    """True, wenn `akteur` `aktion` an `objekt` darf.

    `objekt` ist ein `Ziel(tabelle, sozialraum_id)`, ein Tabellen- oder Fachrechtname (dann: irgendwo,
    z. B. um eine Schaltfläche zu zeigen) oder ein ORM-Objekt; dessen Sozialraum wird mit `session` aus der
    **gespeicherten** Zeile gelesen (nie aus dem Zustand im Speicher), bei neuen Objekten aus den Fremdschlüsseln.
    """
    if isinstance(objekt, str):
        tabelle = None if objekt in FACHRECHTE else objekt
        return umfang(akteur, aktion, tabelle) is not None
    if isinstance(objekt, Ziel):
        tabelle, sr = (None if objekt.tabelle in FACHRECHTE else objekt.tabelle), objekt.sozialraum_id
    else:
        tabelle = objekt.__tablename__
        if session is None:
            raise ValueError("darf(…) mit einem Datensatz braucht die Sitzung (gespeicherter Stand).")
        sr = sozialraum_gespeichert(session, tabelle, objekt.id) if getattr(objekt, "id", None) else \
            sozialraum_neu(session, objekt)
    u = umfang(akteur, aktion, tabelle)
    if u == ALLE:
        return True
    return u == EIGENER and sr is not None and akteur is not None and sr == akteur.sozialraum_id


def nur_lesen(akteur: Akteur | None) -> bool:
    """True, wenn `akteur` nirgends schreiben darf (ohne Anmeldung, Lenkungsgruppe): die Datenbank-Transaktion
    kann dann schreibgeschützt laufen."""
    if akteur is None:
        return True
    if akteur.rolle == ADMIN:
        return False
    return not any(akteur.rolle in t.rechte for t in TABELLEN.values())


def ist_rolle(wert: str) -> bool:
    return wert in ROLLEN


def hat_eigenen_sozialraum(akteur: Akteur | None) -> bool:
    """True für Rollen, die an einen Sozialraum gebunden sind (Teamleitung, Mitglied)."""
    return akteur is not None and any(
        EIGENER in r.values() for t in TABELLEN.values() for rolle, r in t.rechte.items() if rolle == akteur.rolle)


def braucht_sozialraum(rolle: str) -> bool:
    """True, wenn ein Konto dieser Rolle einem Sozialraum zugeordnet sein muss."""
    return hat_eigenen_sozialraum(Akteur("", rolle))


def sozialraum_wahlweise(rolle: str) -> bool:
    """True, wenn ein Konto dieser Rolle einem Sozialraum zugeordnet sein **kann** (sonst gilt es stadtweit),
    z. B. der Verteiler (3.2.3)."""
    return any(r.get(rolle) == EIGENER_SONST_ALLE for r in FACHRECHTE.values())


# ------------------------------------------------------------------------------------------ Sozialraum
def sozialraum_sql(tabelle: str, spalte_von: str | None = None, tiefe: int = 0) -> str | None:
    """SQL-Ausdruck für den Sozialraum einer Zeile von `tabelle` (für Zeilenrichtlinien auf PostgreSQL).

    Nur Namen aus dieser Erklärung werden eingesetzt (keine Eingaben). None = stadtweit."""
    t = TABELLEN[tabelle]
    if t.weg is None:
        return None
    spalte = f"{spalte_von}.{t.weg.spalte}" if spalte_von else t.weg.spalte
    if t.weg.eltern is None:
        return spalte
    alias = f"rk_w{tiefe}"
    innen = sozialraum_sql(t.weg.eltern, alias, tiefe + 1)
    return f"(SELECT {innen} FROM {t.weg.eltern} {alias} WHERE {alias}.id = {spalte})"


def _abfrage_sozialraum(tabelle: str, datensatz_id: Any) -> Select | None:
    """`SELECT sozialraum FROM tabelle … WHERE id = :id` entlang des Wegs (leichte Core-Konstrukte, kein Text)."""
    t = TABELLEN[tabelle]
    if t.weg is None:
        return None
    z = table(tabelle, column("id"), column(t.weg.spalte))
    if t.weg.eltern is None:
        return select(z.c[t.weg.spalte]).where(z.c.id == datensatz_id)
    innen = _abfrage_sozialraum(t.weg.eltern, z.c[t.weg.spalte])
    return None if innen is None else select(innen.scalar_subquery()).where(z.c.id == datensatz_id)


def sozialraum_gespeichert(session: Session, tabelle: str, datensatz_id: Any) -> int | None:
    """Sozialraum der **gespeicherten** Zeile `tabelle.id = datensatz_id`, frisch aus der Datenbank gelesen
    (am Identitäts-Cache und am Zustand der Objekte im Speicher vorbei)."""
    abfrage = _abfrage_sozialraum(tabelle, datensatz_id)
    if abfrage is None or datensatz_id is None:
        return None
    wert = session.connection().execute(abfrage).scalar()
    return int(wert) if wert is not None else None


def sozialraum_ueber(session: Session, tabelle: str, spaltenwert: Any) -> int | None:
    """Sozialraum einer neuen/geänderten Zeile von `tabelle`, deren Weg-Spalte `spaltenwert` trägt: die
    Eltern werden frisch aus der Datenbank gelesen."""
    t = TABELLEN[tabelle]
    if t.weg is None or spaltenwert is None:
        return None
    if t.weg.eltern is None:
        return int(spaltenwert)
    return sozialraum_gespeichert(session, t.weg.eltern, spaltenwert)


def sozialraum_neu(session: Session, obj: Any) -> int | None:
    """Sozialraum, den `obj` nach dem Speichern hätte: Fremdschlüssel im Speicher, Eltern aus der Datenbank
    (ist der Elterndatensatz selbst neu, dessen Sozialraum, wie er gespeichert würde)."""
    tabelle = obj.__tablename__
    t = TABELLEN.get(tabelle)
    if t is None or t.weg is None:
        return None
    wert = getattr(obj, t.weg.spalte, None)
    if t.weg.eltern is None:
        if wert is None and t.weg.spalte == "sozialraum_id":
            sr = getattr(obj, "sozialraum", None)
            return getattr(sr, "id", None)
        return wert
    zustand = inspect(obj)
    beziehung = next((r for r in zustand.mapper.relationships
                      if {c.key for c in r.local_columns} == {t.weg.spalte}), None)
    if beziehung is not None:
        eltern_obj = getattr(obj, beziehung.key)
        if eltern_obj is not None and (wert is None or inspect(eltern_obj).identity is None
                                       or zustand.attrs[beziehung.key].history.added):
            if inspect(eltern_obj).identity is None:
                return sozialraum_neu(session, eltern_obj)
            wert = inspect(eltern_obj).identity[0]
    return sozialraum_ueber(session, tabelle, wert)


def gespeichert(session: Session, obj: Any) -> Mapping[str, Any] | None:
    """Die gespeicherte Zeile von `obj` (Spaltenname → Wert), frisch aus der Datenbank; None bei neuen Objekten.

    Prüfungen vergleichen mit dieser Zeile, nie mit dem „committed“-Zustand im Speicher (den `expire` oder
    `set_committed_value` verändern können)."""
    zustand = inspect(obj)
    if zustand.identity is None:
        return None
    tabelle = zustand.mapper.local_table
    pk = zustand.mapper.primary_key[0]
    zeile = session.connection().execute(select(tabelle).where(pk == zustand.identity[0])).first()
    if zeile is None:
        return None
    return {a.key: zeile._mapping[a.columns[0]] for a in zustand.mapper.column_attrs}


def pruefungen() -> dict[str, list[str]]:
    """Registrierte Prüfungen der Konzeption: Regel → Tabellen (für Dokumentation und Test)."""
    ergebnis: dict[str, list[str]] = {}
    for t in TABELLEN.values():
        for p in t.pruefungen:
            ergebnis.setdefault(p, []).append(t.name)
    return ergebnis


# ------------------------------------------------------------------------------------------ Kurzformen
def darf_schreiben(akteur: Akteur | None, tabelle: str, sozialraum_id: int | None) -> bool:
    """Kurzform für Seiten: darf `akteur` Datensätze von `tabelle` im Sozialraum ändern?"""
    return darf(akteur, "aendern", Ziel(tabelle, sozialraum_id))


def darf_protokoll_lesen(akteur: Akteur | None, sozialraum_id: int | None) -> bool:
    """Protokolle (auch Fallbesprechungen) des Gremiums `sozialraum_id` lesen: der Verteiler mit Konto (3.2.3)."""
    return darf(akteur, "protokoll_lesen", Ziel("protokoll_lesen", sozialraum_id))


def protokoll_lesebereich(akteur: Akteur | None) -> str:
    """`"alle"`, `"eigener"` oder `"keiner"`: welche Gremiumsprotokolle `akteur` lesen darf."""
    return umfang(akteur, "protokoll_lesen") or "keiner"


_AKTION_TEXT = {"anlegen": "anlegen", "aendern": "ändern", "loeschen": "löschen"}


def wer_darf(aktion: str, tabelle: str) -> str:
    """Deutsch: welche Rollen `aktion` an `tabelle` dürfen, z. B. „Teamleitung ASD (eigener Sozialraum),
    Administration (städtische IT)“."""
    t = TABELLEN[tabelle]
    teile = [f"{ROLLEN[r]} ({'eigener Sozialraum' if u[aktion] == EIGENER else 'alle Sozialräume'})"
             for r, u in t.rechte.items() if aktion in u]
    return ", ".join([*teile, ROLLEN[ADMIN]])


def begruendung(akteur: Akteur | None, aktion: str, tabelle: str, sozialraum: str | None = None) -> str:
    """Deutsche Meldung, warum `akteur` `aktion` an `tabelle` nicht darf, mit den Rollen, die es dürfen."""
    if akteur is None:
        return "Bitte zuerst anmelden; ohne Anmeldung wird nichts gespeichert."
    t = TABELLEN[tabelle]
    was = f"{t.bezeichnung or tabelle} {_AKTION_TEXT.get(aktion, aktion)}"
    wo = f" im Sozialraum {sozialraum}" if sozialraum else ""
    return (f"Keine Berechtigung: {was}{wo} dürfen {wer_darf(aktion, tabelle)} – nicht die Rolle "
            f"{ROLLEN.get(akteur.rolle, akteur.rolle)}"
            f"{' eines anderen Sozialraums' if umfang(akteur, aktion, tabelle) == EIGENER else ''}.")
