"""Feste Wertemengen der Datenschicht (Status, Aktionen) an einer Stelle.

Gespeichert wird der Schlüssel (ASCII), angezeigt die Bezeichnung. Werte, die aus der
Kommune-Konfiguration kommen (Einrichtungsarten, Handlungsebenen …), stehen dort, nicht hier.
Dieselben Mengen prüfen die Datenschicht (vor dem Schreiben) und CHECK-Bedingungen der Datenbank.
"""

from __future__ import annotations

SITZUNG_STATUS: dict[str, str] = {
    "geplant": "geplant",
    "eingeladen": "eingeladen",
    "durchgefuehrt": "durchgeführt",
    "protokolliert": "protokolliert",
    "versendet": "versendet",
    "abgesagt": "abgesagt",
}
# Die ersten fünf Werte sind die Schrittfolge (geplant → … → versendet); „abgesagt“ steht außerhalb: erreichbar
# nur aus „geplant“ oder „eingeladen“ und endgültig (iTIP METHOD:CANCEL).
SITZUNG_ABGESAGT = "abgesagt"
SITZUNG_FOLGE: tuple[str, ...] = ("geplant", "eingeladen", "durchgefuehrt", "protokolliert", "versendet")

MASSNAHME_STATUS: dict[str, str] = {
    "beantragt": "beantragt",
    "genehmigt": "genehmigt",
    "umgesetzt": "umgesetzt",
    "abgelehnt": "abgelehnt",
    "beschlossen": "vom Gremium beschlossen",
}
MASSNAHME_BEANTRAGT = "beantragt"
MASSNAHME_GENEHMIGT = "genehmigt"
# 5.3: Fortbildung/Supervision/Teamentwicklung beschließt das Gremium selbst (keine Genehmigung der Teamleitung)
MASSNAHME_BESCHLOSSEN = "beschlossen"

MASSNAHME_UMGESETZT = "umgesetzt"
MASSNAHME_ABGELEHNT = "abgelehnt"
# Entschieden (genehmigt von der Teamleitung oder beschlossen vom Gremium) und ggf. schon umgesetzt: zählt in
# Budgetseite und Jahresbericht als „genehmigt/beschlossen“
MASSNAHME_ENTSCHIEDEN: tuple[str, ...] = (MASSNAHME_GENEHMIGT, MASSNAHME_BESCHLOSSEN, MASSNAHME_UMGESETZT)
# Lebenslauf: beantragt → genehmigt/abgelehnt → umgesetzt; beschlossen (5.3) → umgesetzt
MASSNAHME_SCHRITTE: frozenset[tuple[str, str]] = frozenset({
    (MASSNAHME_BEANTRAGT, MASSNAHME_GENEHMIGT), (MASSNAHME_BEANTRAGT, MASSNAHME_ABGELEHNT),
    (MASSNAHME_GENEHMIGT, MASSNAHME_UMGESETZT), (MASSNAHME_BESCHLOSSEN, MASSNAHME_UMGESETZT)})

# Reflexion (5.2): die gemeinsame Sitzung der Delegierten mit der Lenkungsgruppe, danach die Lenkungsgruppe allein
REFLEXION_GEMEINSAM = "gemeinsam"
REFLEXION_LENKUNGSGRUPPE = "lenkungsgruppe"

# Stand einer Einrichtung in Exporten und Tabellen (aus gültig von/bis am Stichtag und „aktiv“ berechnet)
EINRICHTUNG_STAND: tuple[str, ...] = ("offen", "geschlossen", "noch nicht eröffnet", "inaktiv")

NETZWERK_BESTEHT = "besteht"
NETZWERK_GEPLANT = "soll entwickelt werden"
NETZWERK_STATUS: dict[str, str] = {NETZWERK_BESTEHT: "besteht", NETZWERK_GEPLANT: "soll entwickelt werden"}

# Aktionen im Änderungsprotokoll: Einzeländerungen über den ORM-Weg, die Zusammenfassung einer
# Systemsitzung (Import, Wiederherstellung, Demo) und Anmeldesperren.
AENDERUNG_AKTIONEN: tuple[str, ...] = ("anlegen", "aendern", "loeschen", "sammel", "sperre")


def sql_liste(werte: object) -> str:
    """`'a', 'b'` für eine CHECK-Bedingung (Werte sind feste ASCII-/Umlautfreie Schlüssel dieses Moduls)."""
    return ", ".join("'" + str(w).replace("'", "''") + "'" for w in werte)
