"""Befehl `opendata-dateien`: die Dateien der offenen Daten (GeoPackage, GeoJSON, CSV, HSDS 3.0, DCAT-AP.de)
in einen Ordner schreiben – dieselben wie die Downloads der Seite „Offene Daten“, aus den öffentlichen Sichten."""

from __future__ import annotations

import argparse
from pathlib import Path

from befehle.basis import kontext


def registriere(unter: argparse._SubParsersAction) -> None:
    o = unter.add_parser("opendata-dateien", help="Dateien der offenen Daten (GeoPackage, GeoJSON, CSV, HSDS, "
                                                  "DCAT-AP.de-Metadaten) in einen Ordner schreiben")
    o.add_argument("ordner", type=Path, help="Zielordner (muss existieren); gleichnamige Dateien werden ersetzt")
    o.add_argument("--basis-url", help="öffentliche Adresse für die Metadaten (Adressen der Dateien und der "
                                       "Schnittstelle); Standard: RESSOURCENKARTE_OEFFENTLICHE_URL")
    o.set_defaults(ausfuehren=_dateien)


def _dateien(args: argparse.Namespace) -> str:
    from daten.offene_dateien import lade_offene_daten, schreibe_ordner

    k = kontext(args)
    basis = args.basis_url if args.basis_url is not None else k.einstellungen.oeffentliche_url
    return schreibe_ordner(args.ordner, lade_offene_daten(k.engine), k.kommune, basis=basis)
