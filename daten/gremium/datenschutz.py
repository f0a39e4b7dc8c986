"""Datenschutzprüfung für Protokolltexte (R3): findet personenbezogene Angaben, bevor gespeichert wird.

Gesucht werden Personennamen (mit Anrede, in Familienwendungen, Vorname mit Nachname oder Initiale,
bekannte Vornamen allein), Geburtsdaten und Altersangaben an Namen, Wohnadressen, Telefonnummern,
E-Mail-Adressen und Aktenzeichen. Fallen, die bewusst NICHT gemeldet werden: Einrichtungsadressen
(„das Stadtteilbüro, Am Markt 5“), Straßen in Einrichtungsnamen, Funktionsbezeichnungen
(„Frau Bürgermeisterin“, „Frau Dr. phil.“), Sitzungstermine, Platzzahlen und Beträge, Beschlussvorlagen
(„0974/2015“) und Einrichtungen mit Vornamen im Namen („Kita Arche Noah“, „Anne-Frank-Schule“).

Die Prüfung ist eine Warnung, kein Beweis: die schreibende Person ändert den Text oder bestätigt mit
Begründung (`daten.gremium.regeln` erzwingt das vor dem Speichern). Genauigkeit: `bench/datenschutz.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# --- Suchmuster: reguläre Ausdrücke und Wortlisten --------------------------------------------------------------

_BUCHSTABE = r"[^\W\d_]"
_WORT = re.compile(rf"{_BUCHSTABE}+(?:['’]{_BUCHSTABE}+)*(?:-{_BUCHSTABE}+(?:['’]{_BUCHSTABE}+)*)*\.?")
_TITEL = {"dr.", "prof.", "dipl.", "med.", "phil.", "rer.", "nat.", "jur.", "soz.", "päd.", "mag.", "ing.",
          "dipl.-päd.", "dipl.-soz.-päd.", "dipl.-psych.", "dipl.-ing.", "h.c.", "m.a.", "b.a."}
# Einrichtungs- und Heiligenkontext: ein Vorname direkt danach ist Teil eines Namens einer Einrichtung.
_EINRICHTUNG_DAVOR = {
    "kita", "kitas", "kindertagesstätte", "kindergarten", "krippe", "hort", "schule", "grundschule", "gymnasium",
    "realschule", "gesamtschule", "igs", "förderschule", "haus", "zentrum", "jugendzentrum", "treff", "jugendtreff",
    "kijukuz", "kirche", "pfarrei", "pfarrgemeinde", "gemeinde", "stiftung", "verein", "st.", "sankt", "hl.",
    "heilige", "heiligen", "arche", "ev.", "kath.", "evangelische", "katholische", "projekt", "programm", "klinik",
    "krankenhaus", "hospital", "apotheke", "kapelle", "dom", "platz", "kinderhaus", "familienzentrum", "wohngruppe",
    "tagesgruppe", "jugendhaus", "bürgerhaus", "mehrgenerationenhaus", "spielplatz", "sportplatz", "halle",
}
_EINRICHTUNG_DANACH = {
    "schule", "grundschule", "gymnasium", "realschule", "haus", "straße", "strasse", "str.", "platz", "ring", "weg",
    "allee", "kita", "kindergarten", "himmelfahrt", "stiftung", "zentrum", "kirche", "gemeinde", "preis", "tag",
}
# Funktionsbezeichnungen nach „Frau“/„Herr“ (Endungen; „Frau X…in“ bzw. zusammengesetzt bei „Herr“).
_ROLLEN_ENDUNGEN = (
    "meister", "leiter", "vorsteher", "dezernent", "referent", "kollege", "arzt", "ärzt", "direktor", "präsident",
    "beauftragte", "vorsitzende", "sprecher", "rektor", "pfarrer", "koordinator", "berater", "minister",
    "pädagoge", "pädagog", "therapeut", "psychologe", "psycholog", "erzieher", "lehrer", "richter", "rat", "rät",
    "fachkraft", "leitung", "vertreter", "mitarbeiter", "hebamme", "sozialarbeiter", "amtmann", "amtfrau",
)
_ROLLE_ALLEIN = {"dezernent", "referent", "kollege", "kollegin", "direktor", "präsident", "rektor", "koordinator",
                 "minister", "vorsitzende", "vorsitzender", "beauftragte", "beauftragter", "berater", "arzt",
                 "vertreter", "leitung", "kollegen"}
_GENERISCHE_POSTFAECHER = {
    "info", "kontakt", "post", "poststelle", "office", "sekretariat", "verwaltung", "service", "mail", "team",
    "buero", "büro", "anmeldung", "beratung", "presse", "redaktion", "noreply", "no-reply", "jugendamt", "amt",
    "kita", "schule", "zentrum", "treff", "stadtteilbuero", "quartier", "netzwerk", "leitung", "asd", "kijukuz",
    "jugendhilfeplanung", "webmaster", "hallo", "termine", "elterncafe", "fruehehilfen", "familienbildung",
    "geschaeftsstelle", "zentrale", "bildung", "jugendhilfe", "stadtverwaltung", "jugendzentrum", "mgh",
}

_MONATE = r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
_DATUM = rf"(?:\d{{1,2}}\.\s?\d{{1,2}}\.\s?(?:\d{{4}}|\d{{2}})(?!\d)|\d{{1,2}}\.\s?{_MONATE}\s+\d{{4}})"
_GEBURT_VOR = re.compile(
    rf"(?:\bgeb\.|\bgeboren(?:\s+am)?|\bGeburtsdatum|\bGeb\.-?Datum|\bGeburtstag|\bJahrgang|\bJg\.|(?<!\w)\*)"
    rf"(?:\s+(?:des|der|von|vom|dem|Kindes|Kind|Mutter|Vaters|Vater|Jugendlichen|Sohnes|Tochter)){{0,3}}"
    rf"\s*:?\s*(?:am\s+)?(?P<wert>{_DATUM}|(?:19|20)\d{{2}}\b)",
    re.IGNORECASE,
)
_GEBURT_NACH = re.compile(rf"(?P<wert>{_DATUM})\s+(?:\w+\s+){{0,2}}geboren\b", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])(?P<lokal>[\w.+-]+)@[\w-]+(?:\.[\w-]+)+")
_TELEFON_CUE = re.compile(
    r"(?:\bTel\b\.?|\bTelefon(?:nummer)?\b|\bHandy(?:nummer)?\b|\bMobil(?:nummer)?\b|\bRufnummer\b|\bFax\b|"
    r"\berreichbar\b|\bRückruf\b|\bunter\b)\s*[:.]?\s*(?:unter\s+)?$",
    re.IGNORECASE,
)
_TELEFON = re.compile(r"(?<![\w.,/])(?:(?:\+|00)\d{2,3}[\s/-]*(?:\(0\)\s*)?\d|\(?0\s?\d)[\d\s/()\-]{4,}\d(?!\d|[.,]\d)")
_VORLAGE = re.compile(r"^\d{3,4}/(?:19|20)\d{2}$")
_AZ_CUE = (
    r"\bAz\b\.?|\bAZ\b|\bAktenzeichen\b|\bAkten-?Nr\b\.?|\bAktennummer\b|\bFall-?Nr\b\.?|\bFall-?[Nn]ummer\b|"
    r"\bFallnummer\b|\bVorgangs-?(?:nummer|nr\.?)|\bGeschäftszeichen\b|\bGz\b\.?|\bGZ\b|\bKunden-?(?:nummer|nr\.?)|"
    r"\bBG-?(?:Nummer|Nr\.?)|\bBedarfsgemeinschaftsnummer\b|\bHilfeplan-?(?:Nr\.?|[Nn]ummer)|\bHP-?Nr\b\.?|"
    r"\bPersonenkennzeichen\b|\bKassenzeichen\b|\bSozialversicherungsnummer\b|\bVersichertennummer\b|"
    r"\bSteuer-?ID\b|\bSteuernummer\b|\bIdentnummer\b|\bAusweisnummer\b"
)
_AKTENZEICHEN = re.compile(
    rf"(?:{_AZ_CUE})\s*[:.]?\s*(?:[^\d\n.;]{{0,30}}?)\(?(?P<wert>[A-Za-z0-9][A-Za-z0-9./\-]*\d[A-Za-z0-9./\-]*\d)",
)
_AZ_MUSTER = re.compile(r"(?<![\w-])[A-ZÄÖÜ]{1,4}-(?:19|20)\d{2}-\d{2,6}(?![\w-])")
_STRASSE_ENDUNG = (r"(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|pfad|damm|ufer|chaussee|steig|stieg|"
                   r"graben|wall|promenade|zeile|anlage|hang|höhe|wiese|garten|markt)")
_HAUSNUMMER = r"\s+\d{1,4}(?:\s?[a-zA-Z](?!\w))?(?![\w.,]\d|\s*(?:%|€|Euro|Uhr|Jahre|Kinder|Plätze|Prozent))\b"
_ADRESSE = re.compile(
    rf"(?P<strasse>(?:(?:Am|An\s+der|An\s+den|Im|In\s+der|Auf\s+der|Auf\s+dem|Zum|Zur|Hinter\s+der|Unter\s+den|"
    rf"Alte|Alter|Große|Großer|Kleine|Kleiner|Obere|Untere|Breite|Breiten|Lange|Langen)\s+"
    rf"(?:{_BUCHSTABE}+-)*[A-ZÄÖÜ]{_BUCHSTABE}+(?:\s+[A-ZÄÖÜ]{_BUCHSTABE}+)?"
    rf"|(?:[A-ZÄÖÜ]{_BUCHSTABE}*(?:-{_BUCHSTABE}+)*\s+)?(?:{_BUCHSTABE}+-)*[A-ZÄÖÜ]{_BUCHSTABE}*{_STRASSE_ENDUNG}"
    rf"|[A-ZÄÖÜ]{_BUCHSTABE}+er\s+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Ring|Landstraße|Chaussee))"
    rf"){_HAUSNUMMER}(?:,?\s+\d{{5}}\s+[A-ZÄÖÜ]{_BUCHSTABE}+)?",
)
_WOHNT_IN = re.compile(
    rf"\b(?:wohnt|wohnen|wohnte|wohnhaft|lebt|leben|lebte|gezogen|umgezogen|zieht|ziehen|gemeldet)\s+"
    rf"(?:in\s+der|in\s+die|in\s+den|im|in|am|an\s+der|auf\s+der)\s+"
    rf"(?P<strasse>(?:{_BUCHSTABE}+-)*[A-ZÄÖÜ]{_BUCHSTABE}*{_STRASSE_ENDUNG}|[A-ZÄÖÜ]{_BUCHSTABE}+er\s+Straße)",
)
_PERSON_HINWEIS = re.compile(
    r"\b(?:wohnt|wohnen|wohnte|wohnhaft|lebt|leben|lebte|Wohnung|Adresse|Anschrift|Hausbesuch|umgezogen|"
    r"gezogen|zieht|gemeldet|Familie|Mutter|Vater|Eltern|Kind|Junge|Mädchen|Jugendliche[rn]?|Großmutter|"
    r"Großvater|Oma|Opa|Tante|Onkel|Freundin|Freund|Polizeieinsatz|Kinderschutzmeldung|Meldung)\b",
)
_STARK_PERSON = re.compile(
    r"\b(?:wohnt|wohnen|wohnte|wohnhaft|lebt|lebte|Wohnung|Adresse|Anschrift|Hausbesuch|umgezogen|zieht|"
    r"gemeldet|Polizeieinsatz|Kinderschutzmeldung)\b",
)
_EINRICHTUNG_HINWEIS = re.compile(
    r"(?:Kita|Schule|KiJuKuZ|Stadtteilbüro|Büro|[Tt]reff|Zentrum|zentrum|Bürgerhaus|Rathaus|Mehrgenerationenhaus|"
    r"Beratungsstelle|Sprechstunde|geöffnet|Öffnungszeiten|Räume[n]?|Halle|Café|café|Standort|Sitz|Dienststelle|"
    r"ASD|Quartiermanagement|Praxis|statt|Angebot|bietet|Gemeinde|Kirche|Stadtteilrunde|Turnhalle|Sporthalle|"
    r"Jugendhaus|Bibliothek|Bücherei|Verein|Elterncafé|Familienzentrum|[Ii]nitiative|Plätze|Gruppe|Einrichtung|"
    r"Träger|Termin|Sitzung|Treffen|Veranstaltung|Fest|Kurs|Treffpunkt|Ort\b|[a-zäöü]amt\b|Amt\b|Jobcenter|"
    r"Agentur|Polizei|Hotline|Zentrale|Sekretariat|Geschäftsstelle|Stadtverwaltung|Stelle\b)",
)
_ALTER_KLAMMER = re.compile(r"^\s*\(\s*(?P<wert>\d{1,2})(?:\s*(?:J\.|Jahre|Jahren|Jahre alt))?\s*[),]")
_ALTER_KOMMA = re.compile(r"^\s*,\s*(?P<wert>\d{1,2})(?:\s*(?:J\.|Jahre alt|Jahre|Jahren))?(?=[\s,;.)])")
_ALTER_VOR = re.compile(r"(?P<wert>\d{1,2})\s?-?\s?jährige[rnms]?\s+$")
_DATUM_NACH_NAME = re.compile(rf"^\s*[,(]\s*(?P<wert>{_DATUM})")

ARTEN: dict[str, str] = {
    "name": "Personenname",
    "geburtsdatum": "Geburtsdatum/Jahrgang",
    "alter": "Altersangabe zu einer Person",
    "adresse": "Wohnadresse",
    "telefon": "Telefonnummer",
    "email": "E-Mail-Adresse",
    "aktenzeichen": "Aktenzeichen/Fallnummer",
}

_ORDNER = Path(__file__).parent


@dataclass(frozen=True)
class Befund:
    """Eine Fundstelle: Art (Schlüssel aus ARTEN), Zeichenbereich [start, ende) und der gefundene Text."""

    art: str
    start: int
    ende: int
    text: str

    @property
    def bezeichnung(self) -> str:
        return ARTEN[self.art]


def _liste(name: str) -> frozenset[str]:
    zeilen = (_ORDNER / name).read_text(encoding="utf-8").splitlines()
    return frozenset(z.strip() for z in zeilen if z.strip() and not z.startswith("#"))


@lru_cache(maxsize=1)
def _namensgeber() -> re.Pattern:
    """Namensgeber von Einrichtungen („Anne Frank“, „Albert Schweitzer“) als ein Muster."""
    namen = sorted(_liste("namensgeber.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in namen) + r")\b")


@lru_cache(maxsize=1)
def _namen() -> tuple[frozenset[str], frozenset[str]]:
    """(eindeutige Vornamen, mehrdeutige Vornamen) aus den Datendateien neben diesem Modul."""
    mehrdeutig = _liste("mehrdeutig.txt")
    return _liste("vornamen.txt") - mehrdeutig, mehrdeutig


# ------------------------------------------------------------------------------------------ Wortlisten
def _satz(text: str, start: int, ende: int) -> str:
    """Der Satz um [start, ende): von Satzende davor bis Satzende danach (Punkt vor Leerzeichen + Großbuchstabe)."""
    links = max((m.end() for m in re.finditer(r"[.!?;]\s+(?=[A-ZÄÖÜ])", text[:start])), default=0)
    rechts = re.search(r"[.!?;](?:\s|$)", text[ende:])
    return text[links: ende + (rechts.start() if rechts else len(text) - ende)]


# ------------------------------------------------------------------------------------------ Erkenner
def _emails(text: str) -> list[Befund]:
    ergebnis = []
    for m in _EMAIL.finditer(text):
        erster = re.split(r"[.\-_+]", m.group("lokal").lower())[0]
        if erster in _GENERISCHE_POSTFAECHER:
            continue
        ergebnis.append(Befund("email", m.start(), m.end(), m.group()))
    return ergebnis


def _telefone(text: str, belegt: list[tuple[int, int]]) -> list[Befund]:
    ergebnis = []
    for m in _TELEFON.finditer(text):
        roh = m.group().rstrip()
        ziffern = re.sub(r"\D", "", roh)
        if not 6 <= len(ziffern) <= 16 or _ueberlappt(m.start(), m.end(), belegt):
            continue
        cue = _TELEFON_CUE.search(text[max(0, m.start() - 30): m.start()])
        kompakt = re.sub(r"\s", "", roh)
        if _VORLAGE.match(kompakt) and not cue:  # Beschlussvorlage „0974/2015“
            continue
        if len(ziffern) < 7 and not cue:
            continue
        if re.match(r"(?:0800|0180|0137|0900|116)", ziffern) or _einrichtungskontext(text, m.start(), m.end()):
            continue  # Servicenummern und Nummern von Einrichtungen sind keine Personendaten
        ergebnis.append(Befund("telefon", m.start(), m.start() + len(roh), roh))
    return ergebnis


def _aktenzeichen(text: str) -> list[Befund]:
    ergebnis = [Befund("aktenzeichen", m.start("wert"), m.end("wert"), m.group("wert"))
                for m in _AKTENZEICHEN.finditer(text)]
    ergebnis += [Befund("aktenzeichen", m.start(), m.end(), m.group()) for m in _AZ_MUSTER.finditer(text)]
    return ergebnis


def _geburtsdaten(text: str) -> list[Befund]:
    ergebnis = []
    for m in _GEBURT_VOR.finditer(text):
        davor = text[max(0, m.start() - 5): m.start()].lower()
        if re.search(r"\b(?:der|den|dem|des|die)\s+$", davor) and m.group().lower().startswith("jahrgang"):
            continue  # „der Jahrgang 2019“ ist eine Kohorte, keine Person
        ergebnis.append(Befund("geburtsdatum", m.start("wert"), m.end("wert"), m.group("wert")))
    ergebnis += [Befund("geburtsdatum", m.start("wert"), m.end("wert"), m.group("wert"))
                 for m in _GEBURT_NACH.finditer(text)]
    return ergebnis


def _einrichtungskontext(text: str, start: int, ende: int, namen: list[Befund] | None = None) -> bool:
    """True, wenn die Angabe [start, ende) zu einer Einrichtung gehört, nicht zu einer Person.

    Personenhinweise im Satz (wohnt, Hausbesuch, ein gefundener Name …) gehen vor; sonst entscheidet der
    nächste Hinweis davor (bis 60 Zeichen), und ohne einen solchen der ganze Satz.
    """
    satz = _satz(text, start, ende)
    if _STARK_PERSON.search(satz) or any(_satz(text, b.start, b.ende) == satz for b in namen or []):
        return False
    davor = text[max(0, start - 60): start]
    letzte_person = max((x.end() for x in _PERSON_HINWEIS.finditer(davor)), default=-1)
    letzte_einr = max((x.end() for x in _EINRICHTUNG_HINWEIS.finditer(davor)), default=-1)
    if letzte_person >= 0 or letzte_einr >= 0:
        return letzte_einr > letzte_person
    return bool(_EINRICHTUNG_HINWEIS.search(satz)) and not _PERSON_HINWEIS.search(satz)


def _adressen(text: str, namen: list[Befund]) -> list[Befund]:
    ergebnis = []
    for m in _ADRESSE.finditer(text):
        if not _einrichtungskontext(text, m.start(), m.end(), namen):
            ergebnis.append(Befund("adresse", m.start(), m.end(), m.group()))
    for m in _WOHNT_IN.finditer(text):
        ergebnis.append(Befund("adresse", m.start("strasse"), m.end("strasse"), m.group("strasse")))
    return ergebnis


def _woerter(text: str) -> list[re.Match]:
    return list(_WORT.finditer(text))


def _ist_rolle(wort: str, anrede: str) -> bool:
    w = wort.lower().rstrip(".")
    if w in _ROLLE_ALLEIN:
        return True
    if anrede.lower().startswith(("frau", "fr")):
        if w.endswith("innen") or w.endswith("in"):
            stamm = w[:-5] if w.endswith("innen") else w[:-2]
            return any(stamm.endswith(e) for e in _ROLLEN_ENDUNGEN)
        return w.endswith(("leitung", "beauftragte", "vorsitzende", "fachkraft", "hebamme"))
    return any(w.endswith(e) and len(w) > len(e) + 2 for e in _ROLLEN_ENDUNGEN)


def _gross(wort: str) -> bool:
    return bool(wort) and wort[0].isupper()


def _namen_finden(text: str) -> list[Befund]:
    vornamen, mehrdeutig = _namen()
    w = _woerter(text)
    ergebnis: list[Befund] = []

    def rein(x: str) -> str:
        return x.rstrip(".")

    i = 0
    while i < len(w):
        wort = w[i].group()
        roh = rein(wort)
        # 1. Anrede (+ Titel) + Name: „Frau Dr. Weber“, „Herrn Schäfer“, „Frau Al-Hassan“
        nach_einrichtung = i > 0 and w[i - 1].group().lower() in _EINRICHTUNG_DAVOR  # „Kita Frau Holle“
        if (roh in ("Frau", "Herr", "Herrn", "Fr", "Hr") and (wort.endswith(".") == (roh in ("Fr", "Hr")))
                and not nach_einrichtung):
            j = i + 1
            while j < len(w) and w[j].group().lower() in _TITEL and w[j].start() - w[j - 1].end() <= 2:
                j += 1
            if j < len(w) and w[j].start() - w[j - 1].end() <= 2 and _gross(w[j].group()):
                kandidat = rein(w[j].group())
                if not _ist_rolle(kandidat, roh) and kandidat.lower() not in _EINRICHTUNG_DAVOR:
                    ende = w[j].start() + len(kandidat)
                    if (j + 1 < len(w) and w[j + 1].start() - ende == 1 and _gross(w[j + 1].group())
                            and kandidat in _namen()[0] | _namen()[1]):  # „Herr Dr. Klaus Berger“
                        j += 1
                        ende = w[j].start() + len(w[j].group().rstrip("."))
                    ergebnis.append(Befund("name", w[i].start(), ende, text[w[i].start(): ende]))
                    i = j + 1
                    continue
        # 2. Familienwendung: „Familie Özdemir“, „Geschwister Hoffmann“, „Ehepaar Becker“
        if (roh in ("Familie", "Fam", "Ehepaar", "Eheleute", "Geschwister", "Familien") and i + 1 < len(w)
                and (not wort.endswith(".") or roh == "Fam")):
            nach = rein(w[i + 1].group())
            davor = text[max(0, w[i].start() - 12): w[i].start()].lower()
            zwischen = text[w[i].end(): w[i + 1].start()]
            if (_gross(nach) and zwischen.strip() == "" and "haus der" not in davor and "für" not in davor[-5:]
                    and nach.lower() not in _EINRICHTUNG_DAVOR and nach not in ("Frühe", "Hilfe", "Hilfen")):
                ergebnis.append(Befund("name", w[i].start(), w[i + 1].start() + len(nach),
                                       text[w[i].start(): w[i + 1].start() + len(nach)]))
                i += 2
                continue
        # 3. Vorname (+ Nachname | Initiale)
        if roh in vornamen or roh in mehrdeutig:
            befund = _vorname(text, w, i, roh in mehrdeutig)
            if befund is not None:
                ergebnis.append(befund)
                i += 1
                while i < len(w) and w[i].start() < befund.ende:
                    i += 1
                continue
        i += 1
    return ergebnis


def _vorname(text: str, w: list[re.Match], i: int, mehrdeutig: bool) -> Befund | None:
    """Befund für den Vornamen an Stelle i (mit Nachname/Initiale), oder None im Einrichtungskontext."""
    m = w[i]
    wort = m.group()
    name = wort.rstrip(".")
    ende = m.start() + len(name)
    # Teil eines Bindestrich-Namens (Anne-Frank-Schule) ist bereits ein eigenes Wort mit '-' → kein Vorname
    if "-" in name or text[ende: ende + 1] == "-":
        return None
    vorher = [x.group().lower() for x in w[max(0, i - 2): i]]
    if vorher and (vorher[-1] in _EINRICHTUNG_DAVOR or (len(vorher) == 2 and vorher[0] in _EINRICHTUNG_DAVOR
                                                          and _gross(w[i - 1].group()))):
        return None
    if wort.endswith(".") and re.match(r"\s*\d", text[m.end():]):  # „Jan. 2026“, „Max. 20“
        return None
    if i + 1 < len(w) and w[i + 1].start() - ende <= 1:
        nach = w[i + 1].group()
        if nach.rstrip(".").lower() in _EINRICHTUNG_DANACH:
            return None
        # Initiale: „Leon K.“
        if re.fullmatch(r"[A-ZÄÖÜŞÇŁŚŻŹĆŃ]\.", nach):
            return Befund("name", m.start(), w[i + 1].end(), text[m.start(): w[i + 1].end()])
        uebernaechst = w[i + 2].group().rstrip(".").lower() if i + 2 < len(w) else ""
        if uebernaechst in _EINRICHTUNG_DANACH and w[i + 2].start() - w[i + 1].end() <= 1:
            return None  # „Albert Schweitzer Schule“
        # Nachname: „Elena Popescu“
        if _gross(nach) and not nach.endswith(".") and nach.lower() not in _EINRICHTUNG_DAVOR:
            return Befund("name", m.start(), w[i + 1].end(), text[m.start(): w[i + 1].end()])
    if mehrdeutig:
        rest = text[ende:]
        if _ALTER_KLAMMER.match(rest) or _ALTER_KOMMA.match(rest) or _ALTER_VOR.search(text[:m.start()]):
            return Befund("name", m.start(), ende, name)
        return None
    return Befund("name", m.start(), ende, name)


def _alter(text: str, namen: list[Befund]) -> list[Befund]:
    """Altersangaben unmittelbar an Namen: „Leon (9)“, „Murat Demir, 17“, „der 15-jährige Dominik“."""
    ergebnis = []
    for b in namen:
        rest = text[b.ende:]
        for muster in (_ALTER_KLAMMER, _ALTER_KOMMA):
            m = muster.match(rest)
            if m and int(m.group("wert")) <= 30:
                ergebnis.append(Befund("alter", b.ende + m.start("wert"), b.ende + m.end("wert"), m.group("wert")))
        m = _ALTER_VOR.search(text[:b.start])
        if m:
            ergebnis.append(Befund("alter", m.start(), b.start - (len(m.group()) - len(m.group().rstrip())),
                                   m.group().rstrip()))
        m = _DATUM_NACH_NAME.match(rest)
        if m:
            ergebnis.append(Befund("geburtsdatum", b.ende + m.start("wert"), b.ende + m.end("wert"), m.group("wert")))
    return ergebnis


def _ueberlappt(start: int, ende: int, bereiche: list[tuple[int, int]]) -> bool:
    return any(start < e and s < ende for s, e in bereiche)


def pruefe_text(text: str) -> list[Befund]:
    """Alle Fundstellen personenbezogener Angaben in `text`, nach Position sortiert, ohne Doppelte."""
    if not text or not text.strip():
        return []
    befunde = _emails(text)
    befunde += _aktenzeichen(text)
    befunde += _geburtsdaten(text)
    belegt = [(b.start, b.ende) for b in befunde]
    befunde += _telefone(text, belegt)
    belegt = [(b.start, b.ende) for b in befunde]
    namensgeber = [(m.start(), m.end()) for m in _namensgeber().finditer(text)]
    namen = [b for b in _namen_finden(text) if not _ueberlappt(b.start, b.ende, belegt + namensgeber)]
    befunde += namen
    befunde += _alter(text, namen)
    belegt = [(b.start, b.ende) for b in befunde if b.art != "name"]
    befunde += [b for b in _adressen(text, namen) if not _ueberlappt(b.start, b.ende, belegt)]
    return _bereinigt(befunde)


def _bereinigt(befunde: list[Befund]) -> list[Befund]:
    """Gleiche Art und überlappend → ein Befund; nach Start sortiert."""
    ergebnis: list[Befund] = []
    for b in sorted(set(befunde), key=lambda x: (x.start, -x.ende)):
        if ergebnis and ergebnis[-1].art == b.art and b.start < ergebnis[-1].ende:
            continue
        ergebnis.append(b)
    return ergebnis


def abschnitte(text: str, befunde: list[Befund]) -> list[tuple[str, str | None]]:
    """Text in Abschnitte zerlegt: (Teiltext, Art oder None) – zum Hervorheben als Daten, nicht als Markup."""
    teile: list[tuple[str, str | None]] = []
    pos = 0
    for b in sorted(befunde, key=lambda x: x.start):
        if b.start < pos:
            continue
        if b.start > pos:
            teile.append((text[pos: b.start], None))
        teile.append((text[b.start: b.ende], b.art))
        pos = b.ende
    if pos < len(text):
        teile.append((text[pos:], None))
    return teile


def befund_schluessel(befunde: list[Befund]) -> list[str]:
    """Stabile Kurzform der Befunde (Art:Text) zum Vergleichen mit bestätigten Befunden."""
    return sorted({f"{b.art}:{b.text}" for b in befunde})
