"""SQLAlchemy-2-Modelle. Geometrien in EPSG:4326 über den portablen Typ `Geo`.

Jede bearbeitbare Zeile hat eine Versionsspalte (optimistische Sperre): wer einen veralteten Stand
speichert, bekommt einen Konflikt statt still zu überschreiben. Ein Modul je Themenbereich; hier
wird alles gesammelt, damit `from daten import modelle as m; m.Einrichtung` überall gilt.
"""

from daten.modelle.basis import Basis, Versioniert
from daten.modelle.bericht import Bewertung, Empfehlung
from daten.modelle.einrichtungen import Einrichtung, Netzwerk, netzwerk_mitglied, protokollpunkt_bezug
from daten.modelle.gremium import (
    Budget,
    FehlendeRessource,
    Hospitation,
    Lenkungsbericht,
    Massnahme,
    Protokolldelegation,
    Protokollpunkt,
    Reflexion,
    Sitzung,
    Stufenbeschluss,
    Teilgremium,
    protokollpunkt_netzwerk,
    protokollpunkt_stadtteil,
    teilgremium_stadtteil,
)
from daten.modelle.konten import Aenderung, Anmeldesperre, Benutzer
from daten.modelle.offen import offene_bezeichnung, offene_kennzahl
from daten.modelle.raum import Indikatorwert, Kommune, Sozialraum, Stadtteil

__all__ = [
    "Aenderung", "Anmeldesperre", "Basis", "Benutzer", "Bewertung", "Budget", "Einrichtung", "Empfehlung",
    "FehlendeRessource", "Hospitation", "Indikatorwert", "Kommune", "Lenkungsbericht", "Massnahme", "Netzwerk",
    "Protokolldelegation", "Protokollpunkt", "Reflexion", "Sitzung", "Sozialraum", "Stadtteil", "Stufenbeschluss",
    "Teilgremium", "Versioniert", "netzwerk_mitglied", "offene_bezeichnung", "offene_kennzahl",
    "protokollpunkt_bezug", "protokollpunkt_netzwerk",
    "protokollpunkt_stadtteil", "teilgremium_stadtteil",
]
