"""Veröffentlichte Angaben für die Offenen Daten (Sichten `oeffentlich_*`, `daten/oeffentlich.py`).

Beide Tabellen schreibt nur `daten.oeffentlich.veroeffentliche` (Systemsitzung); ihr Inhalt ist abgeleitet:
Bezeichnungen aus der Kommune-Konfiguration und Kennzahlen (Indikatoren, Bedarfsindex), die Python rechnet
(`analysen.offen`). Die Sichten lesen daraus; sie selbst haben keine internen Daten.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, String, Table

from daten.modelle.basis import Basis

# liste: einrichtungsart | traegerart | kennzahl | freigabe; art (nur kennzahl): zahl | text
offene_bezeichnung = Table(
    "offene_bezeichnung",
    Basis.metadata,
    Column("liste", String(40), primary_key=True),
    Column("schluessel", String(80), primary_key=True),
    Column("bezeichnung", String(300), nullable=False),
    Column("einheit", String(40)),
    Column("art", String(10), nullable=False, default="zahl"),
    Column("reihenfolge", Integer, nullable=False, default=0),
)

# je Gebiet (ebene stadtteil | sozialraum, gebiet_id = id des Stadtteils bzw. Sozialraums), Jahr und Kennzahl
offene_kennzahl = Table(
    "offene_kennzahl",
    Basis.metadata,
    Column("ebene", String(20), primary_key=True),
    Column("gebiet_id", Integer, primary_key=True),
    Column("jahr", Integer, primary_key=True),
    Column("schluessel", String(80), primary_key=True),
    Column("wert", Float),
    Column("text", String(200)),
)
