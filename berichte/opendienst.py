"""Der Dienst der Offenen Daten: pygeoapi (OGC API – Features) als WSGI-Anwendung mit drei Ergänzungen.

- **Inhaltstyp**: Objekte und Objektsammlungen in JSON heißen `application/geo+json` (RFC 7946, wie es OGC API –
  Features Teil 1 empfiehlt und QGIS erwartet); pygeoapi 0.21 sendet dort `application/json`.
- **CORS** für das Portal: `Access-Control-Allow-Origin` ist die Herkunft aus `RK_API_PORTAL`
  (z. B. `https://www.mainz.de`; Standard `*`, offene Daten darf jede Seite laden). Vorabanfragen (OPTIONS)
  beantwortet der Dienst selbst.
- **Zwischenspeicher**: erfolgreiche GET-Antworten tragen `Cache-Control: public, max-age=N`
  (`RK_API_CACHE_S`, Standard 300 s; die Daten ändern sich selten), Fehler `no-store`.
- **Dateien**: `/offene-daten/NAME` liefert die Dateien aus `RK_OFFENE_DATEIEN` (Ordner, den `ressourcenkarte
  opendata-dateien` schreibt; der Dienst tut das vor jedem Start), nur die bekannten Namen, mit Medientyp,
  denselben CORS- und Cache-Kopfzeilen. nginx leitet `/offene-daten/` hierher.

Start im Betrieb (deploy/systemd/ressourcenkarte-api.service): `gunicorn 'berichte.opendienst:app'` mit
`PYGEOAPI_CONFIG`/`PYGEOAPI_OPENAPI` aus `ressourcenkarte opendata`. pygeoapi wird erst beim ersten Aufruf
geladen (es liest seine Konfiguration beim Import).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_OBJEKTE = re.compile(r"^/collections/[^/]+/items(/[^/]+)?/?$")
_METHODEN = "GET, HEAD, OPTIONS"


class OffeneDatenDienst:
    """WSGI-Hülle um eine Anwendung (pygeoapi): Inhaltstyp GeoJSON, CORS für das Portal, Cache-Control."""

    def __init__(self, innen: Callable[..., Iterable[bytes]], *, portal: str = "*", cache_s: int = 300,
                 dateien: Path | None = None) -> None:
        self.innen = innen
        self.portal = portal.strip() or "*"
        self.cache_s = max(int(cache_s), 0)
        self.dateien = dateien

    def _datei(self, name: str, methode: str, start_response: Callable[..., Any]) -> Iterable[bytes]:
        from daten.offene_dateien import DATEIEN, METADATEN

        bekannt = {d.name: d for d in (*DATEIEN, METADATEN)}
        pfad = self.dateien / name if self.dateien is not None and name in bekannt else None
        if pfad is None or not pfad.is_file():
            text = "Datei nicht gefunden. Verfügbar: " + ", ".join(bekannt) + "\n"
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8"), *self._cors(),
                                              ("Cache-Control", "no-store")])
            return [text.encode()]
        inhalt = pfad.read_bytes()
        typ = bekannt[name].medientyp + ("; charset=utf-8" if bekannt[name].medientyp.startswith("text/") else "")
        start_response("200 OK", [("Content-Type", typ), ("Content-Length", str(len(inhalt))),
                                  ("Content-Disposition", f'attachment; filename="{name}"'), *self._cors(),
                                  ("Cache-Control", f"public, max-age={self.cache_s}" if self.cache_s else "no-store")])
        return [b""] if methode == "HEAD" else [inhalt]

    def _cors(self) -> list[tuple[str, str]]:
        kopf = [("Access-Control-Allow-Origin", self.portal)]
        if self.portal != "*":
            kopf.append(("Vary", "Origin"))
        return kopf

    def __call__(self, umgebung: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        methode = umgebung.get("REQUEST_METHOD", "GET").upper()
        pfad = umgebung.get("PATH_INFO", "")
        if methode == "OPTIONS":
            start_response("204 No Content", [*self._cors(), ("Access-Control-Allow-Methods", _METHODEN),
                                              ("Access-Control-Allow-Headers", "Accept, Accept-Language"),
                                              ("Access-Control-Max-Age", "86400"), ("Content-Length", "0")])
            return [b""]
        if pfad.startswith("/offene-daten/") and methode in ("GET", "HEAD"):
            return self._datei(pfad.removeprefix("/offene-daten/"), methode, start_response)

        def start(status: str, kopf: list[tuple[str, str]], exc_info: Any = None) -> Any:
            weg = {"access-control-allow-origin", "cache-control"}
            neu = []
            for name, wert in kopf:
                if name.lower() in weg:
                    continue
                if name.lower() == "content-type" and _OBJEKTE.match(pfad) and \
                        wert.split(";")[0].strip() == "application/json":
                    wert = "application/geo+json"
                neu.append((name, wert))
            neu += self._cors()
            ok = status.startswith(("200", "304")) and methode in ("GET", "HEAD")
            neu.append(("Cache-Control", f"public, max-age={self.cache_s}" if ok and self.cache_s else "no-store"))
            return start_response(status, neu, exc_info) if exc_info is not None else start_response(status, neu)

        return self.innen(umgebung, start)


def pruefe_umgebung() -> None:
    """Klare deutsche Meldung statt eines Tracebacks von pygeoapi: Paket und Konfiguration müssen da sein."""
    import importlib.util

    fehlt = [p for p in ("pygeoapi", "psycopg2") if importlib.util.find_spec(p) is None]
    if fehlt:
        raise SystemExit(f"Fehler: Für die Offenen Daten fehlt {', '.join(fehlt)}. Bitte `pip install "
                         "'ressourcenkarte[opendata]'` ausführen (pygeoapi, PostgreSQL-Treiber, gunicorn).")
    for variable in ("PYGEOAPI_CONFIG", "PYGEOAPI_OPENAPI"):
        wert = os.environ.get(variable, "")
        if not wert:
            raise SystemExit(f"Fehler: {variable} ist nicht gesetzt. Die Konfiguration schreibt `ressourcenkarte "
                             "opendata PFAD.yml`; das OpenAPI-Dokument `pygeoapi openapi generate PFAD.yml "
                             "--output-file PFAD-openapi.yml`.")
        if not os.path.isfile(wert):
            raise SystemExit(f"Fehler: {variable}={wert}: die Datei fehlt. Siehe docs/OffeneDaten.md, „Einrichten“.")


def erstelle(portal: str | None = None, cache_s: int | None = None) -> OffeneDatenDienst:
    """pygeoapi (Konfiguration aus PYGEOAPI_CONFIG/PYGEOAPI_OPENAPI) in der Hülle."""
    pruefe_umgebung()
    from pygeoapi.flask_app import APP

    return OffeneDatenDienst(
        APP.wsgi_app, portal=portal if portal is not None else os.environ.get("RK_API_PORTAL", "*"),
        cache_s=cache_s if cache_s is not None else int(os.environ.get("RK_API_CACHE_S", "300")),
        dateien=Path(os.environ["RK_OFFENE_DATEIEN"]) if os.environ.get("RK_OFFENE_DATEIEN") else None)


_app: OffeneDatenDienst | None = None


def app(umgebung: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """WSGI-Einstieg für gunicorn (`berichte.opendienst:app`); lädt pygeoapi beim ersten Aufruf."""
    global _app
    if _app is None:
        _app = erstelle()
    return _app(umgebung, start_response)


def main(argv: list[str] | None = None) -> None:
    """`python -m berichte.opendienst [--host H] [--port P]`: zum Ausprobieren und für Tests (werkzeug)."""
    import argparse

    from werkzeug.serving import run_simple

    p = argparse.ArgumentParser(description="Offene Daten (pygeoapi) mit GeoJSON-Inhaltstyp, CORS und Cache-Control")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    a = p.parse_args(argv)
    run_simple(a.host, a.port, erstelle(), threaded=True)


if __name__ == "__main__":
    main()
