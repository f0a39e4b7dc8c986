"""Berichte und Schriftstücke: aus den Frames der Datenschicht über Analysen und Kartenbilder zum Dokument
(DOCX/PDF) und, beim Ergebnisprotokoll, zur E-Mail.

Das Paket steht über `karte/` und `analysen/` (es ruft beide auf) und unter den Seiten und Befehlen;
`daten/` importiert es nie. Texte aus Daten laufen nie durch eine Vorlage (`berichte.dokument`).
"""
