"""Befehl `opendata`: pygeoapi-Konfiguration (OGC API – Features) über die öffentlichen Sichten schreiben."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from befehle.basis import kontext

PASSWORT_VARIABLE = "RK_LESEN_PASSWORT"  # dieselbe wie `ressourcenkarte rollen --passwort-aus-umgebung`


def registriere(unter: argparse._SubParsersAction) -> None:
    o = unter.add_parser("opendata", help="Offene Daten: Kennzahlen veröffentlichen und pygeoapi konfigurieren "
                                          "(OGC API – Features)")
    o.add_argument("pfad", type=Path, help="Ziel: pygeoapi-Konfiguration (.yml); daneben PFAD-openapi.yml, bei "
                                           "SQLite zusätzlich die Daten als GeoJSON im Ordner PFAD.daten/")
    o.add_argument("--basis-url", default="http://127.0.0.1:5000",
                   help="öffentliche Adresse des Dienstes, z. B. https://ressourcenkarte.mainz.de/api "
                        "(Standard: http://127.0.0.1:5000)")
    o.add_argument("--passwort-variable", default=PASSWORT_VARIABLE, metavar="NAME",
                   help="nur PostgreSQL: Umgebungsvariable mit dem Passwort von rk_lesen, die pygeoapi beim Start "
                        f"einsetzt (Standard: {PASSWORT_VARIABLE}; leer/nicht gesetzt = ohne Passwort)")
    o.set_defaults(ausfuehren=_opendata)


def _opendata(args: argparse.Namespace) -> str:
    import yaml

    from berichte.opendata import SAMMLUNGEN, aktualisiere, pruefe_schema, pygeoapi_konfiguration
    from daten.db import pruefe_verbindung
    from daten.fehler import EingabeFehler

    ziel: Path = args.pfad
    if ziel.suffix.lower() not in (".yml", ".yaml"):
        raise EingabeFehler(f"{ziel}: die pygeoapi-Konfiguration braucht die Endung .yml oder .yaml.")
    if not ziel.resolve().parent.is_dir():
        raise EingabeFehler(f"Ordner {ziel.parent} für die Konfiguration existiert nicht. Bitte anlegen oder einen "
                            "anderen Pfad angeben.")
    if not args.basis_url.startswith(("http://", "https://")):
        raise EingabeFehler(f"--basis-url {args.basis_url!r} ist keine Adresse (http://… oder https://…).")
    k = kontext(args)
    try:
        pruefe_verbindung(k.engine)
        pruefe_schema(k.engine)
        n = aktualisiere(k.engine, k.kommune)
        variable = args.passwort_variable.strip()
        if variable and not variable.replace("_", "").isalnum():
            raise EingabeFehler(f"--passwort-variable {variable!r}: nur Buchstaben, Ziffern und _.")
        cfg = pygeoapi_konfiguration(k.engine, k.kommune, ziel=ziel, basis_url=args.basis_url,
                                     passwort_variable=variable or None)
        postgres = k.engine.dialect.name == "postgresql"
    finally:
        k.engine.dispose()
    try:
        ziel.write_text("# pygeoapi-Konfiguration, geschrieben von `ressourcenkarte opendata` – nicht von Hand "
                        "ändern, neu erzeugen.\n" + yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    except OSError as exc:
        raise EingabeFehler(f"{ziel} kann nicht geschrieben werden ({exc.strerror}).") from None
    zeilen = [f"pygeoapi-Konfiguration geschrieben: {ziel} ({len(SAMMLUNGEN)} Sammlungen: "
              f"{', '.join(SAMMLUNGEN)}; {n} Kennzahlwerte veröffentlicht).",
              "Daten: PostgreSQL als rk_lesen (nur die Sichten oeffentlich_*)." if postgres else
              f"Daten: GeoJSON-Dateien in {ziel.with_name(ziel.stem + '.daten')}/ (SQLite hat keinen Dienst; nach "
              "jeder Änderung neu erzeugen)."]
    if importlib.util.find_spec("pygeoapi") is None:
        zeilen.append("Hinweis: pygeoapi ist nicht installiert – `pip install 'ressourcenkarte[opendata]'`.")
    else:
        openapi = ziel.with_name(ziel.stem + "-openapi.yml")
        zeilen.append(f"Start: PYGEOAPI_CONFIG={ziel} PYGEOAPI_OPENAPI={openapi} pygeoapi openapi generate "
                      f"{ziel} --output-file {openapi} && PYGEOAPI_CONFIG={ziel} PYGEOAPI_OPENAPI={openapi} "
                      "pygeoapi serve")
    return "\n".join(zeilen)
