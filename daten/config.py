"""Kommune-Konfiguration als Daten: Sozialräume, Stadtteile, Einrichtungsarten, Fragen, Budgets.

Wird einmal geladen und validiert; eine andere Stadt ist eine andere YAML-Datei gleichen Aufbaus.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from daten.fehler import KonfigurationsFehler

KOMMUNE_STANDARD = Path(__file__).parent / "kommunen" / "mainz.yaml"


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
    # Anteil einer anderen Kategorie (R12: Fortbildung/Supervision kommt aus dem fallunspezifischen Budget)
    anteil_von: str | None = None


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


def schluesselwort(text: str) -> str:
    """Vergleichsform eines Wortes aus einer Quelldatei: Groß/klein egal, ß=ss, Leerraum zusammengefasst.

    `spalte=wert` wird beidseitig normalisiert (OSM-Tags wie `leisure=playground`).
    """
    if "=" in text:
        spalte, _, wert = text.partition("=")
        return f"{schluesselwort(spalte)}={schluesselwort(wert)}"
    return " ".join(str(text).casefold().replace("ß", "ss").split())


class Typzuordnung(_Basis):
    """Wörter der Quellen → Einrichtungsart bzw. Trägerart (für `import einrichtungen`).

    Ein Wort ist ein Wert der Art-/Trägerart-Spalte (z. B. "Realschule plus") oder `spalte=wert`
    (z. B. "leisure=playground"): dann zählt der Wert dieser Spalte in der Zeile. Schlüssel und
    Bezeichnung jeder Art gelten immer, ohne hier zu stehen. `traegerart_standard`: Trägerart, wenn
    die Quelle keine nennt (der Import weist darauf hin).
    """

    arten: dict[str, list[str]] = Field(default_factory=dict)
    traegerarten: dict[str, list[str]] = Field(default_factory=dict)
    traegerart_standard: str | None = None


class Aufbewahrung(_Basis):
    """Aufbewahrungsfristen personenbezogener Daten in Monaten (DSGVO Art. 5 Abs. 1 e, Löschkonzept der Stadt).

    Danach löscht oder anonymisiert `ressourcenkarte aufbewahrung` (mit Eintrag im Änderungsprotokoll). Die
    Voreinstellungen sind Vorschläge; verbindlich ist das Löschkonzept der Kommune.
    """

    protokollpunkte: int = Field(default=120, ge=12)  # Texte der Ergebnisprotokolle (Jugendhilfeplanung, 10 Jahre)
    fallbesprechungen: int = Field(default=24, ge=1)  # Punkte mit Fallbesprechung: Text früher anonymisiert
    teilnahme: int = Field(default=36, ge=1)  # Namen in Einladung, Teilnahme, Protokollführung, Delegation
    aenderungsprotokoll: int = Field(default=60, ge=12)  # Zeilen des Änderungsprotokolls (Revision, 5 Jahre)
    konten: int = Field(default=24, ge=1)  # gesperrte Konten: Name anonymisiert, Anmeldung unmöglich
    anmeldungen: int = Field(default=6, ge=1)  # Fehlversuche/Sperren und Zeitpunkte der letzten Anmeldungen


class Verteiler(_Basis):
    """Verteiler: Ergebnisprotokoll (3.2.3), Jahresbericht (3.2.4), Bericht der Teamleitung an die Lenkungsgruppe
    (`bereich`, 4.2) und Bericht zur Umsetzung der Konzeption (`umsetzung`, 4.4/5.2)."""

    protokoll: list[str]
    bericht: list[str]
    bereich: list[str] = Field(default_factory=list)
    umsetzung: list[str] = Field(default_factory=list)
    # Eintrag eines Verteilers → E-Mail-Adressen für den Versand des Protokolls (R8); leer = nur eingetragene
    adressen: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _adressen(self) -> Verteiler:
        eintraege = {*self.protokoll, *self.bericht, *self.bereich, *self.umsetzung}
        for eintrag, liste in self.adressen.items():
            if eintrag not in eintraege:
                raise ValueError(f"verteiler.adressen: '{eintrag}' steht in keinem Verteiler")
            falsch = [a for a in liste if "@" not in a or any(z.isspace() for z in a)]
            if falsch:
                raise ValueError(f"verteiler.adressen['{eintrag}']: keine E-Mail-Adresse: {', '.join(falsch)}")
        return self


class Dokumente(_Basis):
    """Corporate Design der Schriftstücke (Berichte, Protokolle): eigene DOCX-Vorlage (Formatvorlagen, Seiten,
    Kopf- und Fußzeile; ihr Beispieltext wird entfernt) und eigene Typst-Stildatei für das PDF (legt
    `stil(body)` fest). Leer = mitgelieferte Vorlage (`berichte/vorlagen`)."""

    docx_vorlage: Path | None = None
    pdf_stil: Path | None = None


class Protokollwechsel(_Basis):
    """Ein Arbeitsfeld, das im Wechsel das Protokoll führt (4.1)."""

    bereich: str
    arten: list[str] = Field(min_length=1)
    traeger_art: str | None = None  # z. B. nur städtische Kitas


class Budgetverteilung(_Basis):
    """Budget nach Bedarf (Demo und Vorschlag): Sockel für alle, Rest nach Anteil × Bezugsgruppe."""

    summe_eur: dict[str, float]
    sockel_anteil: float = Field(default=0.4, ge=0, le=1)
    bedarf_merkmal: str
    bedarf_basis: list[str] = Field(min_length=1)
    runden_auf_eur: float = Field(default=500, gt=0)


class Gremium(_Basis):
    """Einstellungen der Gremiumsarbeit (3.2.1, 4.1, 5.1, 5.4)."""

    bundesland: str = Field(default="RP", pattern=r"^[A-Z]{2}$")  # Feiertage (ISO 3166-2:DE ohne "DE-")
    zeitzone: str = "Europe/Berlin"
    beginn: str = Field(default="14:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    dauer_minuten: int = Field(default=150, gt=0, le=720)
    ortswechsel: list[str] = Field(min_length=1)  # R5: Einrichtungsarten der Sitzungsorte im Wechsel
    protokollwechsel: list[Protokollwechsel] = Field(min_length=1)
    teilnahme_arten: list[str] = Field(min_length=1)  # R6: je Einrichtung dieser Arten jemand da
    frage_fehlende_ressourcen: int = Field(default=6, ge=1)  # Frage, deren Punkte fehlende Ressourcen verorten
    arbeitsfelder: dict[str, str]  # Einrichtungsart → Arbeitsfeld der Teilnehmenden
    hospitation_markieren: list[str] = Field(default_factory=list)  # gleiche Art → markiert (Kita→Kita)
    lenkungsgruppe: list[str] = Field(min_length=1)  # 5.1
    budgetverteilung: Budgetverteilung | None = None
    # Einladungen (iTIP): Sozialraum (Name) → Adresse der Teamleitung ASD, Einrichtungs-Schlüssel → Adresse der
    # Einrichtung. Fehlt eine, steht die Einrichtung mit einer unzustellbaren Adresse (.invalid) in der Einladung.
    adressen: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _adressen_pruefen(self) -> Gremium:
        falsch = [f"{k}: {a}" for k, a in self.adressen.items() if "@" not in a or any(z.isspace() for z in a)]
        if falsch:
            raise ValueError(f"gremium.adressen: keine E-Mail-Adresse: {', '.join(falsch)}")
        return self


# --- Analysen: Bedarfsindex und Versorgung ---------------------------------------------------------------------

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


class Kontakt(_Basis):
    """Ansprechstelle für die Offenen Daten (Metadaten des Dienstes)."""

    name: str = ""
    email: str = ""
    url: str = ""
    telefon: str = ""


class OffeneDaten(_Basis):
    """Was veröffentlicht wird und unter welchen Bedingungen (OGC API – Features, Downloads, öffentliche Sichten).

    `merkmale`: Indikator-Merkmale, die je Stadtteil/Sozialraum und Jahr öffentlich sind; `bedarfsindex`: Index und
    Klassen öffentlich; `kapazitaet`: Kapazität der Einrichtungen öffentlich (Standard: nein, intern).
    """

    titel: str = "Offene Daten"
    beschreibung: str = ""
    lizenz: str = "dl-de/by-2-0"
    lizenz_name: str = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    lizenz_url: str = "https://www.govdata.de/dl-de/by-2-0"
    namensnennung: str = ""
    kontakt: Kontakt = Field(default_factory=Kontakt)
    schlagworte: list[str] = Field(default_factory=list)
    aktualisierung: str = "jährlich"  # Aktualisierungsrhythmus (Metadaten)
    # Amtlicher Gemeindeschlüssel (8 Ziffern), räumliche Abdeckung im DCAT-AP.de-Datensatz
    gemeindeschluessel: str | None = Field(default=None, pattern=r"^\d{8}$")
    merkmale: list[str] = Field(default_factory=list)
    bedarfsindex: bool = False
    kapazitaet: bool = False


class Kommune(_Basis):
    name: str
    amt: str
    crs_metrisch: int  # metrisches KBS (EPSG, Pflicht): Abstände und Flächen; lesen mit daten.geometrie.metrisches_crs
    # Punkt → Stadtteil (daten.geometrie): in keinem Stadtteil, aber höchstens so viele Meter vom nächsten
    # entfernt (Lücke zwischen Grenzen, Stadtrand) → der nächste; weiter weg → abgelehnt
    stadtteil_toleranz_m: float = Field(default=100.0, ge=0, le=5_000)
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
    gremium: Gremium
    typzuordnung: Typzuordnung = Field(default_factory=Typzuordnung)
    bundesland: str = ""  # für Adressen im HSDS-Export (state_province)
    # amtliche Nummer je Stadtteil (Ortsbezirk), für Verknüpfungen im GIS der Stadt (Spalte `nummer`)
    stadtteil_nummern: dict[str, str] = Field(default_factory=dict)
    # Angaben für Metadaten der Exporte (GeoPackage, Excel-Erläuterungen): Nutzungsbedingungen der Daten
    datenlizenz: str = "Nur für den Dienstgebrauch; Weitergabe nach Absprache mit der herausgebenden Stelle."
    bedarfsindex: Bedarfsindex | None = None
    offene_daten: OffeneDaten = Field(default_factory=OffeneDaten)
    versorgung: Versorgung = Field(default_factory=Versorgung)
    aufbewahrung: Aufbewahrung = Field(default_factory=Aufbewahrung)
    dokumente: Dokumente = Field(default_factory=Dokumente)

    @field_validator("crs_metrisch")
    @classmethod
    def _epsg(cls, v: int) -> int:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            crs = CRS.from_epsg(v)
        except CRSError:
            raise ValueError(f"EPSG:{v} ist kein bekanntes Koordinatenbezugssystem (z. B. 25832)") from None
        if not crs.is_projected:
            raise ValueError(f"EPSG:{v} ist nicht metrisch projiziert; für Abstände z. B. 25832 angeben")
        return v

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
        fremd = sorted(set(self.stadtteil_nummern) - set(teile))
        if fremd:
            raise ValueError(f"stadtteil_nummern nennt unbekannte Stadtteile {fremd}")
        nummern = list(self.stadtteil_nummern.values())
        if len(set(nummern)) != len(nummern):
            raise ValueError("stadtteil_nummern: jede amtliche Nummer darf nur einmal vorkommen")
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
        self._pruefe_analysen(merkmale, set(arten))
        fremd = [mk for mk in self.offene_daten.merkmale if mk not in merkmale]
        if fremd:
            raise ValueError(f"offene_daten.merkmale nennt unbekannte Merkmale {fremd}")
        gruppen = {z.name for z in self.zielgruppen}
        for art in self.einrichtungsarten:
            fremd = sorted(set(art.zielgruppen) - gruppen) if gruppen else []
            if fremd:
                raise ValueError(f"Einrichtungsart {art.schluessel}: Zielgruppen {fremd} fehlen unter zielgruppen")
            falsch = set(art.stufe) - set(self.traegerarten)
            if falsch:
                raise ValueError(f"Einrichtungsart {art.schluessel}: unbekannte Trägerart {sorted(falsch)}")
        self._gremium_pruefen(set(arten), merkmale)
        self._typzuordnung_pruefen()
        if self.gremium.frage_fehlende_ressourcen > len(self.fragen):
            raise ValueError("gremium.frage_fehlende_ressourcen ist größer als die Zahl der Fragen")
        return self

    def _gremium_pruefen(self, arten: set[str], merkmale: set[str]) -> None:
        g = self.gremium
        genannt = set(g.ortswechsel) | set(g.teilnahme_arten) | set(g.arbeitsfelder) | set(g.hospitation_markieren)
        genannt |= {a for w in g.protokollwechsel for a in w.arten}
        if genannt - arten:
            raise ValueError(f"gremium nennt unbekannte Einrichtungsarten {sorted(genannt - arten)}")
        kategorien = {b.schluessel for b in self.budgetkategorien}
        for b in self.budgetkategorien:
            if b.anteil_von is not None and b.anteil_von not in kategorien:
                raise ValueError(f"Budgetkategorie {b.schluessel}: anteil_von '{b.anteil_von}' ist unbekannt")
        if g.budgetverteilung:
            v = g.budgetverteilung
            if set(v.summe_eur) - kategorien:
                fremd = sorted(set(v.summe_eur) - kategorien)
                raise ValueError(f"gremium.budgetverteilung: unbekannte Kategorien {fremd}")
            if {v.bedarf_merkmal, *v.bedarf_basis} - merkmale:
                raise ValueError("gremium.budgetverteilung nennt unbekannte Merkmale")
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(g.zeitzone)
        except Exception:  # noqa: BLE001 - jede Art ungültiger Zonenname
            raise ValueError(f"gremium.zeitzone '{g.zeitzone}' ist keine IANA-Zeitzone (z. B. Europe/Berlin)") from None

    def _typzuordnung_pruefen(self) -> None:
        tz = self.typzuordnung
        eigene_arten = {w: a.schluessel for a in self.einrichtungsarten for w in (a.schluessel, a.bezeichnung)}
        eigene_traeger = {w: schl for schl, bez in self.traegerarten.items() for w in (schl, bez)}
        for ziel_name, ziele, eigene in (("arten", tz.arten, eigene_arten),
                                         ("traegerarten", tz.traegerarten, eigene_traeger)):
            falsch = sorted(set(ziele) - set(eigene.values()))
            if falsch:
                raise ValueError(f"typzuordnung.{ziel_name}: unbekannte Ziele {falsch} "
                                 f"(erlaubt: {sorted(set(eigene.values()))})")
            gesehen = {schluesselwort(w): ziel for w, ziel in eigene.items()}
            for ziel, woerter in ziele.items():
                for wort in woerter:
                    k = schluesselwort(wort)
                    if gesehen.get(k, ziel) != ziel:
                        raise ValueError(f"typzuordnung.{ziel_name}: '{wort}' zeigt auf {gesehen[k]} und {ziel}")
                    gesehen[k] = ziel
        if tz.traegerart_standard is not None and tz.traegerart_standard not in self.traegerarten:
            raise ValueError(f"typzuordnung.traegerart_standard '{tz.traegerart_standard}' ist keine Trägerart "
                             f"(erlaubt: {sorted(self.traegerarten)})")

    def art_fuer_wort(self) -> dict[str, str]:
        """Vergleichsform (siehe `schluesselwort`) → Einrichtungsart; Schlüssel und Bezeichnung inklusive."""
        abb = {schluesselwort(w): a.schluessel for a in self.einrichtungsarten for w in (a.schluessel, a.bezeichnung)}
        for ziel, woerter in self.typzuordnung.arten.items():
            abb.update({schluesselwort(w): ziel for w in woerter})
        return abb

    def traegerart_fuer_wort(self) -> dict[str, str]:
        """Vergleichsform → Trägerart; Schlüssel und Bezeichnung inklusive."""
        abb = {schluesselwort(w): schl for schl, bez in self.traegerarten.items() for w in (schl, bez)}
        for ziel, woerter in self.typzuordnung.traegerarten.items():
            abb.update({schluesselwort(w): ziel for w in woerter})
        return abb

    def _pruefe_analysen(self, merkmale: set[str], arten: set[str]) -> None:
        if self.bedarfsindex:
            for i, ind in enumerate(self.bedarfsindex.indikatoren):
                if ind.merkmal not in merkmale:
                    raise ValueError(f"bedarfsindex.indikatoren.{i}: unbekanntes Merkmal '{ind.merkmal}'")
        v = self.versorgung
        for i, va in enumerate(v.arten):
            if va.art not in arten:
                raise ValueError(f"versorgung.arten.{i}: unbekannte Einrichtungsart '{va.art}'")
            if set(va.zielgruppe) - merkmale:
                raise ValueError(f"versorgung.arten.{i}: unbekannte Merkmale {sorted(set(va.zielgruppe) - merkmale)}")
        for feld in ("kita_zielgruppe", "budget_zielgruppe"):
            if set(getattr(v, feld)) - merkmale:
                raise ValueError(f"versorgung.{feld}: unbekannte Merkmale {sorted(set(getattr(v, feld)) - merkmale)}")
        kennzahlen = {"kita_plaetze_je_kind", "budget_je_kind_eur"} | {
            f"{p}_{va.art}" for va in v.arten for p in ("je_1000", "versorgt")}
        if set(v.index) - kennzahlen:
            raise ValueError(f"versorgung.index: unbekannte Kennzahlen {sorted(set(v.index) - kennzahlen)}; "
                             f"möglich: {', '.join(sorted(kennzahlen))}")

    def merkmal(self, schluessel: str) -> Merkmal:
        for mk in self.merkmale:
            if mk.schluessel == schluessel:
                return mk
        raise KeyError(schluessel)

    # bequeme Nachschlagefunktionen
    @property
    def stadtteile(self) -> list[str]:
        return [s for sr in self.sozialraeume for s in sr.stadtteile]

    def art(self, schluessel: str) -> Einrichtungsart:
        for a in self.einrichtungsarten:
            if a.schluessel == schluessel:
                return a
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
    return _lade(Path(pfad or KOMMUNE_STANDARD).resolve())
