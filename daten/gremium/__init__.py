"""Dienstschicht der Gremiumsarbeit (R2–R13): Sitzungen, Protokoll, Maßnahmen, Budget, Hospitationen, Reflexion.

Jede Schreibfunktion heißt `verb_nomen(session, akteur, …)`, prüft die Eingaben mit deutscher Meldung,
schreibt über das ORM und überlässt Rechteprüfung und Änderungsprotokoll der Datenschicht
(`daten.audit`, `daten.gremium.regeln`). Lesefunktionen liefern DataFrames für Seiten, CLI und Analysen.
"""
