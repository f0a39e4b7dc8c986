"""Suchmuster der Datenschutzprüfung (daten/gremium/datenschutz.py): reguläre Ausdrücke für Datum, Geburtsdatum,
E-Mail, Telefon, Aktenzeichen, Adressen, Altersangaben und die Wortlisten für Titel, Rollen und Einrichtungen."""

from __future__ import annotations

import re

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
