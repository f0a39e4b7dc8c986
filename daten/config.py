"""Kommune-Konfiguration als Daten: Sozialräume, Stadtteile, Einrichtungsarten, Fragen, Budgets.

Wird einmal geladen und validiert; eine andere Stadt ist eine andere YAML-Datei gleichen Aufbaus.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from daten.fehler import KonfigurationsFehler


class _Basis(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SozialraumKonfig(_Basis):
    name: str = Field(min_length=1)
    stadtteile: list[str] = Field(min_length=1)
    stufe: int = Field(default=1, ge=1, le=3)


class Einrichtungsart(_Basis):
    schluessel: str = Field(pattern=r"^[a-z_]+$")
    bezeichnung: str
    symbol: str
    farbe: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    stufe: dict[str, int | None]
    zielgruppen: list[str] = Field(default_factory=list)
    radius_m: float = Field(gt=0)

    def stufe_fuer(self, traeger_art: str) -> int | None:
        """Ab welcher Gremiums-Stufe (R2) eine Einrichtung dieser Art und Trägerart dazugehört."""
        return self.stufe.get(traeger_art)


class Zielgruppe(_Basis):
    """Eine Zielgruppe; mit Altersband [alter_von, alter_bis) in Jahren (bis = unter), sonst eine Gruppe
    ohne Alter (z. B. Familien). Der Zielgruppen-Filter findet Einrichtungen, deren Altersbänder sich mit
    dem gewählten überschneiden („Kinder“ findet „Kinder 0–6“); Gruppen ohne Alter nur sich selbst."""

    name: str = Field(min_length=1)
    alter_von: int | None = Field(default=None, ge=0)
    alter_bis: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _band(self) -> Zielgruppe:
        if self.alter_bis is not None and self.alter_bis <= (self.alter_von or 0):
            raise ValueError(f"Zielgruppe {self.name}: alter_bis muss größer als alter_von sein")
        return self

    @property
    def hat_alter(self) -> bool:
        return self.alter_von is not None or self.alter_bis is not None


class Budgetkategorie(_Basis):
    schluessel: str
    bezeichnung: str
    deckel_eur: float | None = None
    warnung_ab_anteil: float = Field(default=0.8, gt=0, le=1)


class Merkmal(_Basis):
    """Ein Indikator je Stadtteil und Jahr.

    `basis`: bei Anteilen (Einheit %) die Merkmale, deren Summe die Bezugsgruppe ist (z. B. SGB-II-Quote
    der unter 15-Jährigen → Kinder unter 6 + 6 bis 14); Anteile werden über diese Gruppe gewichtet
    zusammengefasst, nicht über alle Einwohner. `bezuege`: bei Anzahlen die Merkmale, auf die sich
    „je 1.000“ sinnvoll beziehen lässt (leer = nur absolut).
    """

    schluessel: str
    bezeichnung: str
    einheit: str
    basis: list[str] = Field(default_factory=list)
    bezuege: list[str] = Field(default_factory=list)

    @property
    def ist_anteil(self) -> bool:
        return self.einheit.strip() == "%"


class Verteiler(_Basis):
    protokoll: list[str]
    bericht: list[str]


class Kommune(_Basis):
    name: str
    amt: str
    crs_metrisch: int = 25832
    kartenmitte: tuple[float, float]
    kartenzoom: int = 12
    sozialraeume: list[SozialraumKonfig] = Field(min_length=1)
    stufen: dict[int, str]
    traegerarten: dict[str, str]
    einrichtungsarten: list[Einrichtungsart] = Field(min_length=1)
    zielgruppen: list[Zielgruppe] = Field(default_factory=list)
    fragen: list[str] = Field(min_length=1)
    handlungsebenen: dict[str, str]
    massnahmenarten: dict[str, str]
    beschlussvorlagen: list[str]
    budgetkategorien: list[Budgetkategorie]
    verteiler: Verteiler
    merkmale: list[Merkmal]

    @field_validator("kartenmitte")
    @classmethod
    def _mitte(cls, v: tuple[float, float]) -> tuple[float, float]:
        lat, lon = v
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("kartenmitte muss [Breite, Länge] in Grad sein (EPSG:4326)")
        return v

    @model_validator(mode="after")
    def _eindeutig(self) -> Kommune:
        teile = [s for sr in self.sozialraeume for s in sr.stadtteile]
        doppelt = sorted({s for s in teile if teile.count(s) > 1})
        if doppelt:
            raise ValueError(f"Stadtteile mehreren Sozialräumen zugeordnet: {', '.join(doppelt)}")
        namen = [sr.name for sr in self.sozialraeume]
        if len(set(namen)) != len(namen):
            raise ValueError("Sozialraum-Namen müssen eindeutig sein")
        arten = [a.schluessel for a in self.einrichtungsarten]
        if len(set(arten)) != len(arten):
            raise ValueError("Schlüssel der Einrichtungsarten müssen eindeutig sein")
        merkmale = {mk.schluessel for mk in self.merkmale}
        for mk in self.merkmale:
            unbekannt = sorted((set(mk.basis) | set(mk.bezuege)) - merkmale)
            if unbekannt:
                raise ValueError(f"Merkmal {mk.schluessel}: basis/bezuege nennen unbekannte Merkmale {unbekannt}")
        gruppen = {z.name for z in self.zielgruppen}
        for art in self.einrichtungsarten:
            fremd = sorted(set(art.zielgruppen) - gruppen) if gruppen else []
            if fremd:
                raise ValueError(f"Einrichtungsart {art.schluessel}: Zielgruppen {fremd} fehlen unter zielgruppen")
            falsch = set(art.stufe) - set(self.traegerarten)
            if falsch:
                raise ValueError(f"Einrichtungsart {art.schluessel}: unbekannte Trägerart {sorted(falsch)}")
        return self

    # bequeme Nachschlagefunktionen
    @property
    def stadtteile(self) -> list[str]:
        return [s for sr in self.sozialraeume for s in sr.stadtteile]

    def sozialraum_von(self, stadtteil: str) -> str:
        for sr in self.sozialraeume:
            if stadtteil in sr.stadtteile:
                return sr.name
        raise KeyError(stadtteil)

    def art(self, schluessel: str) -> Einrichtungsart:
        for a in self.einrichtungsarten:
            if a.schluessel == schluessel:
                return a
        raise KeyError(schluessel)

    def budgetkategorie(self, schluessel: str) -> Budgetkategorie:
        for b in self.budgetkategorien:
            if b.schluessel == schluessel:
                return b
        raise KeyError(schluessel)


def _fehlertext(pfad: Path, exc: ValidationError) -> str:
    teile = []
    for f in exc.errors()[:5]:
        ort = ".".join(str(x) for x in f["loc"]) or "(Datei)"
        teile.append(f"{ort}: {f['msg']}")
    return f"Kommune-Konfiguration {pfad} ist ungültig – " + "; ".join(teile) + ". Bitte die Datei korrigieren."


@lru_cache(maxsize=8)
def _lade(pfad: Path) -> Kommune:
    try:
        roh = yaml.safe_load(pfad.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KonfigurationsFehler(f"Kommune-Konfiguration {pfad} nicht gefunden.") from None
    except yaml.MarkedYAMLError as exc:
        ort = f"Zeile {exc.problem_mark.line + 1}" if exc.problem_mark else "unbekannte Stelle"
        raise KonfigurationsFehler(
            f"Kommune-Konfiguration {pfad} ist kein gültiges YAML ({ort}: {exc.problem}). Bitte korrigieren."
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KonfigurationsFehler(f"Kommune-Konfiguration {pfad} ist kein gültiges YAML (UTF-8): {exc}") from None
    if not isinstance(roh, dict):
        raise KonfigurationsFehler(f"Kommune-Konfiguration {pfad} ist leer oder keine Zuordnung.")
    try:
        return Kommune.model_validate(roh)
    except ValidationError as exc:
        raise KonfigurationsFehler(_fehlertext(pfad, exc)) from None


def lade_kommune(pfad: str | Path | None = None) -> Kommune:
    """Lädt und validiert die Kommune-Konfiguration (Standard: Mainz)."""
    from daten.einstellungen import KOMMUNE_STANDARD

    return _lade(Path(pfad or KOMMUNE_STANDARD).resolve())
