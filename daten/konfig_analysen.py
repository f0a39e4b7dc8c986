"""Teil der Kommune-Konfiguration für die Analysen: Bedarfsindex (Indikatoren, Schwellen) und Versorgung
(Einrichtungsarten mit Zielgruppe und Entfernung). Wird über `daten.config` geladen und von dort importiert."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Basis(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bedarfsindikator(_Basis):
    """Ein Statusindikator des Bedarfsindex mit Gewicht (Standard: alle gleich)."""

    merkmal: str
    gewicht: float = Field(default=1.0, gt=0)


class Bedarfsindex(_Basis):
    """Bedarfsindex nach dem Monitoring Soziale Stadtentwicklung Berlin (MSS, Methode seit 2013).

    `status_schwellen`: Grenzen des standardisierten Index zwischen den Klassen hoch | mittel | niedrig |
    sehr niedrig (sozialer Status; MSS: -1,0 / +1,0 / +1,5). `dynamik_schwellen`: Grenzen zwischen positiv |
    stabil | negativ (MSS: -1,0 / +1,0). `dynamik_abstand_jahre`: Vergleichszeitraum (MSS: 2 Jahre).
    `mindest_einwohner`: kleinere Gebiete werden als „kleine Zahl“ markiert (MSS: 300).
    """

    quelle: str = ""
    indikatoren: list[Bedarfsindikator] = Field(min_length=1)
    status_schwellen: tuple[float, float, float] = (-1.0, 1.0, 1.5)
    dynamik_schwellen: tuple[float, float] = (-1.0, 1.0)
    dynamik_abstand_jahre: int = Field(default=2, ge=1)
    mindest_einwohner: float = Field(default=300, ge=0)

    @model_validator(mode="after")
    def _aufsteigend(self) -> Bedarfsindex:
        for name in ("status_schwellen", "dynamik_schwellen"):
            werte = list(getattr(self, name))
            if werte != sorted(werte) or len(set(werte)) != len(werte):
                raise ValueError(f"{name} müssen streng aufsteigend sein")
        return self


class Versorgungsart(_Basis):
    """Versorgung mit einer Einrichtungsart: Zielgruppe (Merkmale, deren Summe der Nenner „je 1.000“ ist)
    und Entfernung in Metern (im metrischen KBS der Kommune, `crs_metrisch`), bis zu der jemand als versorgt gilt."""

    art: str
    zielgruppe: list[str] = Field(min_length=1)
    abstand_m: float = Field(gt=0)


class Versorgung(_Basis):
    """Angebotskennzahlen. `kita_art`/`kita_zielgruppe`: Kita-Plätze je Kind; `budget_zielgruppe`: Budget je
    Kind; `raster_m`: Abstand der Bevölkerungspunkte, wenn Einwohner gleichmäßig über den Stadtteil verteilt
    werden; `kleine_zahl`: Nenner darunter werden markiert; `index`: Kennzahlen des Versorgungsindex."""

    arten: list[Versorgungsart] = Field(default_factory=list)
    kita_art: str = "kita"
    kita_zielgruppe: list[str] = Field(default_factory=list)
    budget_zielgruppe: list[str] = Field(default_factory=list)
    raster_m: float = Field(default=100, gt=0)
    kleine_zahl: float = Field(default=50, ge=0)
    index: list[str] = Field(default_factory=list)
