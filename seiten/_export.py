"""Daten-Download im Dashboard: dieselbe Excel-Datei wie `ressourcenkarte export x.xlsx`, aber mit den
Leserechten der angemeldeten Person (Protokolle nur für den Verteiler des jeweiligen Gremiums)."""

from __future__ import annotations

import streamlit as st

from daten.db import sitzung
from daten.export import excel_bytes
from seiten import gemeinsam as g


def _bytes() -> bytes:
    with sitzung(g.engine(), akteur=None) as s:  # nur lesen; der Umfang folgt der angemeldeten Person
        return excel_bytes(session=s, kommune=g.kommune(), akteur=g.akteur())


def excel_knopf() -> None:
    """Download-Knopf; die Datei entsteht erst beim Klick."""
    wer = g.akteur()
    hinweis = ("Enthält Sitzungen und Protokolle der Gremien, deren Protokolle Sie lesen dürfen."
               if wer else "Ohne Anmeldung: Einrichtungen, Netzwerke, Indikatoren, Maßnahmen und Budgets, "
                           "keine Protokolle.")
    st.download_button("Daten als Excel herunterladen", _bytes, file_name="ressourcenkarte.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", help=hinweis,
                       on_click="ignore")
