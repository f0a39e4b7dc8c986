"""Blatt „Erläuterungen“ der Tabellen-Exporte: Herausgeber, Stand, Quellen, Nutzungsbedingungen, Einheiten und die
Methode des Bedarfsindex – aus der Kommune-Konfiguration, ohne Datenbank (die Quellen gibt der Aufrufer)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from daten.config import Kommune


def erlaeuterungen(kommune: Kommune, *, quellen: dict[str, list[str]] | None = None,
                   spalten: list[tuple[str, str]] = (), stand: datetime | None = None) -> pd.DataFrame:
    """Blatt „Erläuterungen“: Herausgeber, Stand, Quellen (`quellen`: Thema → Quellen, siehe `quellen`),
    Nutzungsbedingungen, Einheiten der Merkmale, Methode des Bedarfsindex; dazu `spalten` (Kopf, Bedeutung)."""
    stand = stand or datetime.now()
    zeilen: list[tuple[str, str]] = [
        ("Herausgeber", f"{kommune.name}, {kommune.amt}"),
        ("Stand", f"{stand:%d.%m.%Y, %H:%M} Uhr (Auszug aus der Sozialraum-Ressourcenkarte)"),
        ("Nutzungsbedingungen", kommune.datenlizenz),
    ]
    for thema, liste in (quellen or {}).items():
        if liste:
            zeilen.append((f"Quelle {thema}", "; ".join(liste)))
    zeilen.append(("Koordinaten", "Länge/Breite in WGS 84 (EPSG:4326), Dezimalgrad."))
    zeilen.append(("Zahlen", "Zahlen sind als Zahlen gespeichert (Excel rechnet und sortiert mit ihnen); die "
                             "Anzeige rundet, der gespeicherte Wert ist auf höchstens vier Nachkommastellen gerundet. "
                             "Leere Zelle = keine Angabe."))
    for mk in kommune.merkmale:
        zeilen.append((f"Einheit: {mk.bezeichnung}", mk.einheit))
    b = kommune.bedarfsindex
    if b is not None:
        gewichte = ", ".join(f"{kommune.merkmal(i.merkmal).bezeichnung} (Gewicht {i.gewicht:g})"
                             for i in b.indikatoren)
        s1, s2, s3 = (f"{x:+.1f}".replace(".", ",") for x in b.status_schwellen)
        zeilen.append(("Bedarfsindex: Methode",
                       "Je Indikator der z-Wert (Wert minus Mittelwert der Gebiete derselben Ebene, geteilt durch "
                       "die Standardabweichung); die gewichtete Summe der z-Werte erneut standardisiert ist der "
                       "Index. "
                       f"Indikatoren: {gewichte}. Hoher Index = hoher Bedarf. Einheit: Standardabweichungen."))
        zeilen.append(("Bedarfsindex: Klassen",
                       f"sozialer Status hoch (Bedarf gering) unter {s1}; mittel bis {s2}; niedrig (Bedarf erhöht) bis "
                       f"{s3}; sehr niedrig (Bedarf hoch) darüber. Gebiete unter {b.mindest_einwohner:g} Einwohnern "
                       "sind als „kleine Zahl“ markiert."))
        if b.quelle:
            zeilen.append(("Bedarfsindex: Quelle der Methode", b.quelle))
    zeilen.extend(spalten)
    return pd.DataFrame(zeilen, columns=["Stichwort", "Erläuterung"])
