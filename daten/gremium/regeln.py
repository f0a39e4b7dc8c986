"""Regeln der Gremiumsarbeit in der Datenschicht (R2–R13), geprüft vor jedem Flush.

Ergänzt die allgemeine Rechteprüfung (`daten.audit`: Rolle × Tabelle × Sozialraum) um das, was nur
die Gremiumsarbeit kennt: wer Termine und Status einer Sitzung ändern darf (Teamleitung ASD) und wer
das Protokoll schreibt (die eingetragene Protokollführung), der Datenschutz im Protokoll (R3), die
Genehmigung von Maßnahmen allein durch die Teamleitung ASD des Sozialraums (R10) und der harte
Deckel für Fortbildung/Supervision (R12) mit Bestätigungspflicht für jede andere Überschreitung.
Registriert wird das Ereignis über `daten.db` (Import dort), damit keine Sitzung daran vorbeischreibt.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, object_session

from daten import modelle as m
from daten import politik, werte
from daten.fehler import EingabeFehler, RechteFehler
from daten.gremium.datenschutz import Befund, befund_schluessel, pruefe_text
from daten.gueltigkeit import kommune_der_sitzung
from daten.modelle.gremium import REFLEXION_ARTEN
from daten.politik import Akteur, Ziel
from daten.werte import SITZUNG_FOLGE

MINDESTLAENGE_GRUND = 10
PLANUNGSFELDER = {"datum", "beginn", "ende", "ort_id", "eingeladene", "protokollfuehrung", "protokoll_bereich",
                  "protokoll_login", "teilgremium_id", "schluessel", "sozialraum_id"}
TERMINFELDER = {"datum", "beginn", "ende", "ort_id"}  # Verschiebung: Kalender brauchen eine höhere SEQUENCE
PROTOKOLLSCHRITTE = {("durchgefuehrt", "protokolliert"), ("protokolliert", "versendet")}
MASSNAHME_SCHRITTE = werte.MASSNAHME_SCHRITTE


class DatenschutzFehler(EingabeFehler):
    """Der Text enthält personenbezogene Angaben, die nicht mit Begründung bestätigt sind (R3)."""

    def __init__(self, meldung: str, befunde: list[Befund]) -> None:
        super().__init__(meldung)
        self.befunde = befunde


class BudgetFehler(EingabeFehler):
    """Budget überschritten: `hart` = Deckel (nicht bestätigbar), sonst fehlt die Bestätigung mit Grund."""

    def __init__(self, meldung: str, *, kategorie: str, summe: float, grenze: float, hart: bool) -> None:
        super().__init__(meldung)
        self.kategorie, self.summe, self.grenze, self.hart = kategorie, summe, grenze, hart


def eur(betrag: float) -> str:
    """Betrag deutsch: 1.234,50 €."""
    return f"{betrag:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def _geaendert(obj: Any) -> set[str]:
    z = inspect(obj)
    return {a.key for a in z.mapper.column_attrs if z.attrs[a.key].history.has_changes()}


def _alt(obj: Any, feld: str) -> Any:
    """Gespeicherter Wert von `feld` – aus der Datenbank gelesen, nie aus dem Zustand im Speicher (den `expire`
    oder `set_committed_value` verfälschen können). Neue Objekte: der Wert im Speicher."""
    zeile = _zeile(obj)
    return getattr(obj, feld) if zeile is None else zeile[feld]


def _zeile(obj: Any) -> Any:
    if obj is None or inspect(obj).identity is None:
        return None
    session = object_session(obj)
    cache = session.info.setdefault("_gespeichert_flush", {})
    schluessel = (type(obj), inspect(obj).identity)
    if schluessel not in cache:
        cache[schluessel] = politik.gespeichert(session, obj)
    return cache[schluessel]


def _ist_system(akteur: Akteur) -> bool:
    return politik.ist_system(akteur)


def _leitet(akteur: Akteur, sozialraum_id: int | None) -> bool:
    """Geschäftsführung des Gremiums (R4): Teamleitung ASD dieses Sozialraums oder Administration."""
    return politik.darf(akteur, "gremium_leiten", Ziel("gremium_leiten", sozialraum_id))


def _genehmigt(akteur: Akteur, sozialraum_id: int | None) -> bool:
    """R10: Maßnahmen genehmigt die Teamleitung ASD des Sozialraums."""
    return politik.darf(akteur, "massnahme_genehmigen", Ziel("massnahme_genehmigen", sozialraum_id))


def _sitzung_von(session: Session, obj: Any) -> m.Sitzung | None:
    return obj.sitzung or (session.get(m.Sitzung, obj.sitzung_id) if obj.sitzung_id else None)


# ------------------------------------------------------------------------------------------ Stammdaten
def sr_id(obj: Any) -> int | None:
    """Sozialraum-id eines Objekts, auch wenn vor dem Flush nur die Beziehung gesetzt ist."""
    if getattr(obj, "sozialraum_id", None) is not None:
        return obj.sozialraum_id
    sr = getattr(obj, "sozialraum", None)
    return sr.id if sr is not None else None


def _pruefe_hospitation(h: m.Hospitation) -> None:
    if (h.von_id is not None and h.von_id == h.nach_id) or (h.von is not None and h.von is h.nach):
        raise EingabeFehler("Eine Hospitation führt in eine andere Einrichtung (von ≠ nach).")
    if h.datum is None or (h.anzahl_personen or 0) < 1:
        raise EingabeFehler("Eine Hospitation braucht ein Datum und mindestens eine Person.")


def _pruefe_reflexion(session: Session, r: m.Reflexion, akteur: Akteur, kommune: Any) -> None:
    if r.art not in REFLEXION_ARTEN:
        raise EingabeFehler(f"Reflexionsart '{r.art}' gibt es nicht. Möglich: {', '.join(REFLEXION_ARTEN)}.")
    if r.datum and r.zeitraum_bis and r.datum <= r.zeitraum_bis:
        raise EingabeFehler("Die Reflexion liegt nach den Sitzungen, die sie betrachtet: Datum nach dem Zeitraum.")
    if r.zeitraum_von and r.zeitraum_bis and r.zeitraum_von > r.zeitraum_bis:
        raise EingabeFehler("Der betrachtete Zeitraum endet vor seinem Beginn.")
    # 5.2: eine gemeinsame Reflexion und eine Sitzung der Lenkungsgruppe je Jahr (gegen die gespeicherten Zeilen)
    schon = session.connection().execute(select(m.Reflexion.id, m.Reflexion.datum).where(
        m.Reflexion.jahr == r.jahr, m.Reflexion.art == r.art, m.Reflexion.id != (r.id or -1))).first()
    if schon is not None:
        was = "gemeinsame Reflexion" if r.art == werte.REFLEXION_GEMEINSAM else "Sitzung der Lenkungsgruppe"
        am = f" vom {schon.datum:%d.%m.%Y}" if schon.datum else ""
        raise EingabeFehler(f"Für {r.jahr} ist die {was} schon dokumentiert{am} (5.2: einmal im Jahr). Bitte diese "
                            "ergänzen statt eine zweite anzulegen.")
    _pruefe_delegierte(r.delegierte or [], kommune)
    if r.art == werte.REFLEXION_LENKUNGSGRUPPE:
        vor = session.get(m.Reflexion, r.vorsitzung_id) if r.vorsitzung_id else None
        if vor is None or vor.art != werte.REFLEXION_GEMEINSAM or vor.jahr != r.jahr or (
                r.datum and vor.datum and r.datum <= vor.datum):
            raise EingabeFehler("Die Sitzung der Lenkungsgruppe folgt auf eine gemeinsame Reflexion desselben Jahres "
                                "(5.2): bitte zuerst die gemeinsame Reflexion dokumentieren.")


def _pruefe_delegierte(delegierte: list[Any], kommune: Any) -> None:
    """5.2: Delegierte als [{sozialraum, name}], je Gremium höchstens eine Person, Sozialräume der Kommune."""
    namen = {sr.name for sr in kommune.sozialraeume}
    gesehen: set[str] = set()
    for d in delegierte:
        sr = str((d or {}).get("sozialraum") or "") if isinstance(d, dict) else ""
        if sr not in namen or not str(d.get("name") or "").strip():
            raise EingabeFehler("Delegierte bitte je Gremium als Sozialraum und Name angeben (Sozialraum "
                                f"„{sr or '–'}“ unbekannt oder ohne Namen).")
        if sr in gesehen:
            raise EingabeFehler(f"Für den Sozialraum {sr} ist schon eine delegierte Person eingetragen.")
        gesehen.add(sr)


def _pruefe_lenkungsbericht(b: m.Lenkungsbericht, akteur: Akteur) -> None:
    """4.2: den Bericht an die Lenkungsgruppe erstattet die Teamleitung; vermerkt wird, wer und wann."""
    if b.datum is None or b.jahr is None:
        raise EingabeFehler("Der Bericht an die Lenkungsgruppe braucht das Berichtsjahr und das Datum.")
    if b.datum > date.today():
        raise EingabeFehler(f"Der Bericht an die Lenkungsgruppe wird erfasst, wenn er erstattet ist: "
                            f"{b.datum:%d.%m.%Y} liegt in der Zukunft.")
    if b.datum.year < b.jahr:
        raise EingabeFehler(f"Der Bericht über {b.jahr} wird frühestens in diesem Jahr erstattet "
                            f"(Datum {b.datum:%d.%m.%Y}).")
    if not _ist_system(akteur) and b.erstattet_von != akteur.login:
        raise EingabeFehler("„Erstattet von“ muss die angemeldete Person sein.")


def _pruefe_stufe(session: Session, b: m.Stufenbeschluss, akteur: Akteur, kommune: Any, neu: bool) -> None:
    if b.stufe not in kommune.stufen:
        raise EingabeFehler(f"Stufe {b.stufe} gibt es nicht. Möglich: {', '.join(map(str, kommune.stufen))}.")
    if b.gueltig_ab is None or not (b.beschluss or "").strip():
        raise EingabeFehler("Ein Stufenbeschluss braucht ein Datum und den Beschluss (Text).")
    if _ist_system(akteur) or not (neu or _geaendert(b) & {"stufe", "gueltig_ab", "sozialraum_id", "sprung_grund",
                                                           "beschlossen_von"}):
        return
    if b.beschlossen_von != akteur.login:
        raise EingabeFehler("Beim Stufenbeschluss wird vermerkt, wer ihn einträgt: „beschlossen von“ muss die "
                            "angemeldete Person sein.")
    # 3.1: ein Gremium beginnt mit Stufe 1 und wird schrittweise erweitert; verglichen mit den gespeicherten
    # Beschlüssen davor und danach
    andere = session.connection().execute(
        select(m.Stufenbeschluss.gueltig_ab, m.Stufenbeschluss.stufe)
        .where(m.Stufenbeschluss.sozialraum_id == sr_id(b), m.Stufenbeschluss.id != (b.id or -1))
        .order_by(m.Stufenbeschluss.gueltig_ab)).all()
    vorher = next((z.stufe for z in reversed(andere) if z.gueltig_ab < b.gueltig_ab), 1)
    danach = next((z for z in andere if z.gueltig_ab > b.gueltig_ab), None)
    spruenge = [f"von Stufe {vorher} auf Stufe {b.stufe}"] if abs(b.stufe - vorher) > 1 else []
    if danach is not None and abs(danach.stufe - b.stufe) > 1:
        spruenge.append(f"von Stufe {b.stufe} auf Stufe {danach.stufe} (Beschluss ab {danach.gueltig_ab:%d.%m.%Y})")
    if spruenge and len((b.sprung_grund or "").strip()) < MINDESTLAENGE_GRUND:
        schritt = vorher + (1 if b.stufe > vorher else -1)
        raise EingabeFehler(f"Ein Gremium wird Stufe für Stufe erweitert (3.1): {' und '.join(spruenge)} überspringt "
                            f"eine Stufe. Bitte erst Stufe {schritt} beschließen oder den Grund für den Sprung angeben "
                            f"(mindestens {MINDESTLAENGE_GRUND} Zeichen).")


def _pruefe_teilgremium(t: m.Teilgremium) -> None:
    if not (t.name or "").strip() or not t.stadtteile:
        raise EingabeFehler("Ein Teilgremium braucht einen Namen und mindestens einen Stadtteil.")
    if any(st.sozialraum_id != sr_id(t) for st in t.stadtteile):
        raise EingabeFehler("Ein Teilgremium umfasst nur Stadtteile seines Sozialraums.")


# ------------------------------------------------------------------------------------------ Sitzung
def _pruefe_sitzung(session: Session, s: m.Sitzung, akteur: Akteur, neu: bool) -> None:
    system = _ist_system(akteur)
    if s.ort_id is not None:
        ort = s.ort or session.get(m.Einrichtung, s.ort_id)
        st = ort.stadtteil or session.get(m.Stadtteil, ort.stadtteil_id) if ort else None
        if ort is None or st is None or st.sozialraum_id != sr_id(s):
            raise EingabeFehler("Der Sitzungsort muss eine Einrichtung im Sozialraum des Gremiums sein.")
    if s.teilgremium_id is not None:
        tg = s.teilgremium or session.get(m.Teilgremium, s.teilgremium_id)
        if tg is None or tg.sozialraum_id != sr_id(s):
            raise EingabeFehler("Das Teilgremium gehört zu einem anderen Sozialraum.")
    if neu:
        if not system and not _leitet(akteur, sr_id(s)):
            raise RechteFehler("Sitzungen plant die Teamleitung ASD des Sozialraums (Geschäftsführung, R4).")
        if not system and s.status != "geplant":
            raise EingabeFehler("Eine neue Sitzung beginnt mit dem Status 'geplant'.")
        if not system:
            if s.protokoll_login:
                pruefe_protokollkonto(session, sozialraum_id=sr_id(s), login=s.protokoll_login)
            _pruefe_protokollwechsel(session, s, neu=True)
        return
    geaendert = _geaendert(s)
    if system or not geaendert:
        return
    leitet = _leitet(akteur, _alt(s, "sozialraum_id")) and _leitet(akteur, s.sozialraum_id)
    gespeichert_login = _alt(s, "protokoll_login")
    schreibt = bool(gespeichert_login) and gespeichert_login == akteur.login
    if geaendert & PLANUNGSFELDER and not leitet:
        raise RechteFehler("Termin, Ort, Einladung und Protokollführung ändert nur die Teamleitung ASD (R4). "
                           "Bitte an die Teamleitung wenden.")
    alt = _alt(s, "status")
    if alt == werte.SITZUNG_ABGESAGT:
        raise EingabeFehler("Die Sitzung ist abgesagt; bitte eine neue Sitzung planen.")
    if "datum" in geaendert and SITZUNG_FOLGE.index(alt) >= SITZUNG_FOLGE.index("durchgefuehrt"):
        raise EingabeFehler("Die Sitzung hat schon stattgefunden; ihr Datum lässt sich nicht mehr verschieben.")
    if "status" in geaendert:
        _pruefe_stattgefunden(session, s)
        _pruefe_statuswechsel(s, alt, leitet=leitet, schreibt=schreibt)
    if "protokoll_login" in geaendert and s.protokoll_login:
        pruefe_protokollkonto(session, sozialraum_id=sr_id(s), login=s.protokoll_login)
    if {"protokoll_bereich", "protokoll_bereich_grund"} & geaendert:
        _pruefe_protokollwechsel(session, s, neu=False)
    if "teilnehmende" in geaendert and not (leitet or schreibt):
        raise RechteFehler("Die Teilnahme trägt die Teamleitung ASD oder die Protokollführung ein.")
    if {"versendet_von", "versendet_am"} & geaendert and s.versendet_von != akteur.login:
        raise EingabeFehler("„Versendet von“ muss die angemeldete Person sein.")


def _pruefe_statuswechsel(s: m.Sitzung, alt: str, *, leitet: bool, schreibt: bool) -> None:
    if s.status == werte.SITZUNG_ABGESAGT:
        if not leitet:
            raise RechteFehler("Eine Sitzung sagt die Teamleitung ASD ab (R4).")
        if alt not in ("geplant", "eingeladen"):
            raise EingabeFehler("Absagen lässt sich nur eine Sitzung, die noch nicht stattgefunden hat.")
        return
    vorher, nachher = SITZUNG_FOLGE.index(alt), SITZUNG_FOLGE.index(s.status)
    if nachher < vorher and not leitet:
        raise RechteFehler("Den Status zurücksetzen darf nur die Teamleitung ASD (R4).")
    if nachher < vorher and alt == "versendet":
        raise EingabeFehler(f"Der Status lässt sich nicht von '{alt}' auf '{s.status}' zurücksetzen.")
    if nachher > vorher and not leitet and not (schreibt and (alt, s.status) in PROTOKOLLSCHRITTE):
        raise RechteFehler("Den Status der Sitzung ändert die Teamleitung ASD; die Protokollführung setzt nur "
                           "'protokolliert' und 'versendet' (R4).")
    if s.status in ("protokolliert", "versendet") and not s.punkte:
        raise EingabeFehler("Ohne Protokollpunkte kann die Sitzung nicht als protokolliert gelten.")
    if s.status == "versendet" and not (s.versendet_von and s.versendet_am):
        raise EingabeFehler("Beim Versenden werden Person und Zeitpunkt vermerkt; bitte über „Versenden“ auslösen.")


def heute(kommune: Any = None) -> date:
    """Der heutige Tag in der Zeitzone der Kommune (`gremium.zeitzone`, Mainz: Europe/Berlin) – nicht der des
    Servers: um 0:30 Uhr in Mainz ist in UTC noch gestern."""
    zone = getattr(getattr(kommune, "gremium", None), "zeitzone", None) or "Europe/Berlin"
    return datetime.now(ZoneInfo(zone)).date()


def _pruefe_stattgefunden(session: Session, s: m.Sitzung) -> None:
    """„durchgeführt“ und alles danach erst am oder nach dem Sitzungstag – gegen das gespeicherte Datum (und ein
    im selben Schritt geändertes)."""
    if s.status not in SITZUNG_FOLGE or SITZUNG_FOLGE.index(s.status) < SITZUNG_FOLGE.index("durchgefuehrt"):
        return
    tag = max(d for d in (_alt(s, "datum"), s.datum) if d is not None)
    jetzt = heute(kommune_der_sitzung(session))
    if tag > jetzt:
        raise EingabeFehler(
            f"Die Sitzung am {tag:%d.%m.%Y} hat noch nicht stattgefunden: den Status "
            f"'{werte.SITZUNG_STATUS[s.status]}' gibt es erst ab dem Sitzungstag (heute ist der {jetzt:%d.%m.%Y}). "
            "Bitte am oder nach dem Sitzungstag setzen – oder, wenn sie früher stattfand, zuerst das Datum ändern.")


def pruefe_protokollkonto(session: Session, *, sozialraum_id: int | None, login: str) -> m.Benutzer:
    """R4: das Konto, an das das Protokoll geht, gibt es, es ist aktiv, gehört zum Sozialraum der Sitzung und darf
    dort Protokolle schreiben (Politik) – geprüft in der Datenbank, nicht auf der Seite. Gibt das Konto zurück."""
    b = session.scalar(select(m.Benutzer).where(m.Benutzer.login == (login or "").strip()))
    if b is None:
        raise EingabeFehler(f"Ein Konto „{login}“ gibt es nicht. Bitte die Protokollführung aus der Liste der Konten "
                            "des Sozialraums wählen (Konten legt die Administration an).")
    if not b.aktiv:
        raise EingabeFehler(f"Das Konto „{login}“ ist gesperrt und kann das Protokoll nicht schreiben. Bitte ein "
                            "aktives Konto des Sozialraums wählen.")
    if b.sozialraum_id != sozialraum_id:
        von = session.get(m.Sozialraum, b.sozialraum_id) if b.sozialraum_id is not None else None
        hier = session.get(m.Sozialraum, sozialraum_id) if sozialraum_id is not None else None
        raise EingabeFehler(
            f"Das Konto „{login}“ gehört {f'zum Sozialraum {von.name}' if von else 'zu keinem Sozialraum'}; das "
            f"Protokoll schreibt ein Konto des Gremiums {hier.name if hier else ''}. Bitte eines aus der Liste wählen.")
    if not politik.darf(Akteur(b.login, b.rolle, b.sozialraum_id), "anlegen", Ziel("protokollpunkt", sozialraum_id)):
        raise EingabeFehler(f"Das Konto „{login}“ ({politik.ROLLEN.get(b.rolle, b.rolle)}) kann keine Protokolle "
                            "schreiben. Bitte ein Konto der Teamleitung oder eines Gremiumsmitglieds wählen.")
    return b


def _vertretene_felder(session: Session, kommune: Any, sozialraum_id: int, tag: date) -> list[str]:
    """Arbeitsfelder des Protokollwechsels (4.1), die im Gremium am `tag` mit einer Einrichtung vertreten sind."""
    zeilen = session.execute(select(m.Einrichtung.art, m.Einrichtung.traeger_art, m.Einrichtung.gueltig_von,
                                    m.Einrichtung.gueltig_bis).join(m.Stadtteil)
                             .where(m.Stadtteil.sozialraum_id == sozialraum_id, m.Einrichtung.aktiv.is_(True))).all()
    da = {(art, traeger) for art, traeger, von, bis in zeilen
          if (von is None or von <= tag) and (bis is None or bis >= tag)}
    return [w.bereich for w in kommune.gremium.protokollwechsel
            if any(art in w.arten and (w.traeger_art is None or traeger == w.traeger_art) for art, traeger in da)]


def protokoll_vorschlag(session: Session, *, sozialraum_id: int, datum: date, sitzung_id: int | None = None,
                        kommune: Any = None) -> str | None:
    """4.1: das Arbeitsfeld, das im Wechsel (ASD, KiJuKuZ, Schulsozialarbeit, städtische Kitas – Konfiguration
    `gremium.protokollwechsel`) das Protokoll der Sitzung am `datum` führt: das nächste nach dem der vorigen
    Sitzung des Gremiums (bis zu diesem Tag, ohne abgesagte und ohne `sitzung_id` selbst); im Gremium nicht
    vertretene Felder werden übersprungen. None, wenn die Konfiguration keinen Wechsel kennt."""
    kommune = kommune or kommune_der_sitzung(session)
    reihe = [w.bereich for w in kommune.gremium.protokollwechsel]
    felder = _vertretene_felder(session, kommune, sozialraum_id, datum) or reihe
    if not felder:
        return None
    q = (select(m.Sitzung.protokoll_bereich)
         .where(m.Sitzung.sozialraum_id == sozialraum_id, m.Sitzung.datum <= datum,
                m.Sitzung.status != werte.SITZUNG_ABGESAGT, m.Sitzung.protokoll_bereich.in_(felder))
         .order_by(m.Sitzung.datum.desc(), m.Sitzung.id.desc()).limit(1))
    if sitzung_id is not None:
        q = q.where(m.Sitzung.id != sitzung_id)
    letztes = session.scalar(q)
    return felder[0] if letztes is None else felder[(felder.index(letztes) + 1) % len(felder)]


def _pruefe_protokollwechsel(session: Session, s: m.Sitzung, *, neu: bool) -> None:
    """4.1: wer vom vorgeschlagenen Arbeitsfeld abweicht, nennt einen kurzen Grund (steht im Änderungsprotokoll)."""
    if not s.protokoll_bereich or s.datum is None:
        return
    vorschlag = protokoll_vorschlag(session, sozialraum_id=sr_id(s), datum=s.datum,
                                    sitzung_id=None if neu else s.id)
    if vorschlag is None or s.protokoll_bereich == vorschlag:
        return
    if len((s.protokoll_bereich_grund or "").strip()) < MINDESTLAENGE_GRUND:
        raise EingabeFehler(
            f"Im Wechsel (4.1) führt bei dieser Sitzung {vorschlag} das Protokoll, nicht {s.protokoll_bereich}. Bitte "
            f"{vorschlag} wählen oder die Abweichung kurz begründen (mindestens {MINDESTLAENGE_GRUND} Zeichen, z. B. "
            f"„{vorschlag} ist in dieser Sitzung nicht vertreten“).")


# ------------------------------------------------------------------------------------------ Protokoll
def _pruefe_protokollrecht(session: Session, sitzung: m.Sitzung | None, akteur: Akteur) -> None:
    if sitzung is None or _ist_system(akteur):
        return
    # Sozialraum, Protokollführung und Status der Sitzung, wie sie gespeichert sind
    sr, login, status = (_alt(sitzung, f) for f in ("sozialraum_id", "protokoll_login", "status"))
    if not (_leitet(akteur, sr) or (login and login == akteur.login)):
        raise RechteFehler("Das Protokoll dieser Sitzung schreibt die eingetragene Protokollführung oder die "
                           "Teamleitung ASD (R4).")
    if status not in ("durchgefuehrt", "protokolliert"):
        grund = "ist versendet" if status == "versendet" else "hat noch nicht stattgefunden"
        raise EingabeFehler(f"Die Sitzung {grund}; das Protokoll lässt sich jetzt nicht bearbeiten.")


def _pruefe_punkt(session: Session, p: m.Protokollpunkt, akteur: Akteur, neu: bool, kommune: Any) -> None:
    _pruefe_protokollrecht(session, _sitzung_von(session, p), akteur)
    # Frage (1–Zahl der Fragen) und Handlungsebene prüft daten.gueltigkeit für alle Schreibwege.
    if not (p.text or "").strip():
        raise EingabeFehler("Ein Protokollpunkt braucht Text.")
    if p.fallbesprechung and not (p.anonymisiert or p.schweigepflichtentbindung):
        raise EingabeFehler("Fallbesprechung nur anonymisiert oder mit Schweigepflichtsentbindung (R3): bitte eines "
                            "von beiden bestätigen oder den Punkt ohne Fallbezug formulieren.")
    if neu or _geaendert(p) & {"text", "datenschutz_befunde", "datenschutz_grund"}:
        pruefe_datenschutz(p.text, p.datenschutz_befunde or [], p.datenschutz_grund)


def pruefe_datenschutz(text: str, bestaetigt: list[str], grund: str | None) -> list[Befund]:
    """Wirft DatenschutzFehler, wenn `text` Befunde hat, die nicht mit Grund bestätigt sind; gibt sie sonst zurück."""
    befunde = pruefe_text(text)
    offen = sorted(set(befund_schluessel(befunde)) - set(bestaetigt))
    if befunde and (offen or len((grund or "").strip()) < MINDESTLAENGE_GRUND):
        arten = ", ".join(sorted({b.bezeichnung for b in befunde}))
        raise DatenschutzFehler(
            f"Der Text enthält möglicherweise personenbezogene Angaben ({arten}). Bitte ändern oder mit "
            f"Begründung (mindestens {MINDESTLAENGE_GRUND} Zeichen) bestätigen.", befunde)
    return befunde


def _pruefe_fehlende_ressource(session: Session, f: m.FehlendeRessource, akteur: Akteur, kommune: Any) -> None:
    p = f.protokollpunkt or session.get(m.Protokollpunkt, f.protokollpunkt_id)
    if p is None:
        raise EingabeFehler("Eine fehlende Ressource gehört zu einem Protokollpunkt.")
    _pruefe_protokollrecht(session, _sitzung_von(session, p), akteur)
    if p.frage != kommune.gremium.frage_fehlende_ressourcen:
        raise EingabeFehler(f"Fehlende Ressourcen werden bei Frage {kommune.gremium.frage_fehlende_ressourcen} "
                            "verortet.")
    g = f.geometrie
    if getattr(g, "geom_type", None) != "Point" or not (-180 <= g.x <= 180 and -90 <= g.y <= 90):
        raise EingabeFehler("Die fehlende Ressource braucht einen Punkt in Länge/Breite (EPSG:4326).")
    if not (f.bezeichnung or "").strip():
        raise EingabeFehler("Bitte die fehlende Ressource kurz benennen.")
    pruefe_datenschutz(f.bezeichnung, [], None)


# ------------------------------------------------------------------------------------------ Maßnahmen
# Was der Beschluss des Gremiums festlegt (5.3): ändert nur ein neuer Beschluss, nicht die Teamleitung
BESCHLUSSFELDER = {"titel", "art", "kosten_geplant", "jahr", "sozialraum_id", "sitzung_id", "protokollpunkt_id"}
GREMIUM_ENTSCHEIDET = ("Über Fortbildung, Supervision und Teamentwicklung entscheidet das Gremium in eigener "
                       "Verantwortung (5.3)")


def _pruefe_massnahme(session: Session, x: m.Massnahme, akteur: Akteur, neu: bool, kommune: Any) -> None:
    if x.art not in kommune.massnahmenarten:
        raise EingabeFehler(f"Maßnahmenart '{x.art}' gibt es nicht. Möglich: {', '.join(kommune.massnahmenarten)}.")
    if x.beschlussvorlage is not None and x.beschlussvorlage not in kommune.beschlussvorlagen:
        raise EingabeFehler(f"Beschlussvorlage '{x.beschlussvorlage}' ist unbekannt. Möglich: "
                            f"{', '.join(kommune.beschlussvorlagen)}.")
    if (x.kosten_geplant or 0) < 0 or (x.kosten_ist or 0) < 0:
        raise EingabeFehler("Kosten können nicht negativ sein.")
    system = _ist_system(akteur)
    geaendert = set() if neu else _geaendert(x)
    alt = None if neu else _alt(x, "status")
    if "status" in geaendert and (alt, x.status) not in MASSNAHME_SCHRITTE and not system:
        raise EingabeFehler(f"Der Status einer Maßnahme geht nicht von '{alt}' zu '{x.status}'. Möglich: beantragt → "
                            "genehmigt → umgesetzt, beantragt → abgelehnt oder vom Gremium beschlossen → umgesetzt.")
    if (x.status == werte.MASSNAHME_GENEHMIGT and not x.genehmigt) or (
            x.status in (werte.MASSNAHME_BEANTRAGT, werte.MASSNAHME_ABGELEHNT, werte.MASSNAHME_BESCHLOSSEN)
            and x.genehmigt):
        raise EingabeFehler("„Genehmigt“ passt nicht zum Status der Maßnahme.")
    if x.protokollpunkt_id is not None or x.protokollpunkt is not None:
        p = x.protokollpunkt or session.get(m.Protokollpunkt, x.protokollpunkt_id)
        sz = _sitzung_von(session, p) if p else None
        if sz is None or sr_id(sz) != sr_id(x):
            raise EingabeFehler("Der Protokollpunkt der Maßnahme gehört zu einem anderen Sozialraum.")
    elif not system and _ist_unterkategorie(kommune, x.art):
        raise EingabeFehler(f"{GREMIUM_ENTSCHEIDET}: bitte die Maßnahme aus dem Protokollpunkt mit dem Beschluss "
                            "anlegen.")
    if not system:
        _pruefe_gremiumsbeschluss(session, x, akteur, kommune, neu, geaendert)
    if neu:
        if not system and x.status not in (werte.MASSNAHME_BEANTRAGT, werte.MASSNAHME_BESCHLOSSEN) or (
                not system and (x.genehmigt_von or x.genehmigt_am)):
            raise EingabeFehler("Eine neue Maßnahme beginnt als 'beantragt'; genehmigt wird sie danach (R10).")
        return
    if system or not geaendert:
        return
    if alt == werte.MASSNAHME_BESCHLOSSEN and geaendert & BESCHLUSSFELDER:
        raise EingabeFehler("Den Beschluss des Gremiums (5.3) ändert nur ein neuer Beschluss in einer Sitzung; "
                            f"nicht änderbar: {', '.join(sorted(geaendert & BESCHLUSSFELDER))}.")
    if x.status == werte.MASSNAHME_UMGESETZT and ("status" in geaendert or geaendert & {"kosten_ist", "umgesetzt_am"}):
        _pruefe_umsetzung(session, x, akteur)
    elif geaendert & {"kosten_ist", "umgesetzt_am"} and x.umgesetzt_am is not None:
        raise EingabeFehler("Ist-Kosten und Umsetzungsdatum gehören zu einer umgesetzten Maßnahme; bitte über "
                            "„als umgesetzt erfassen“ eintragen.")
    teamleitung = _genehmigt(akteur, _alt(x, "sozialraum_id")) and _genehmigt(akteur, sr_id(x))
    if "status" in geaendert and alt == werte.MASSNAHME_BEANTRAGT or {"genehmigt_von", "genehmigt_am"} & geaendert:
        if not teamleitung:
            raise RechteFehler("Maßnahmen genehmigt oder lehnt nur die Teamleitung ASD des Sozialraums ab (R10).")
        if x.genehmigt_von != akteur.login or x.genehmigt_am is None:
            raise EingabeFehler("Bei der Genehmigung werden die genehmigende Person und das Datum vermerkt.")
    if alt != werte.MASSNAHME_BEANTRAGT and not teamleitung:
        raise RechteFehler("Eine genehmigte oder abgelehnte Maßnahme ändert nur die Teamleitung ASD (R10).")


def _pruefe_gremiumsbeschluss(session: Session, x: m.Massnahme, akteur: Akteur, kommune: Any, neu: bool,
                              geaendert: set[str]) -> None:
    """5.3: Fortbildung/Supervision/Teamentwicklung beschließt das Gremium (Status „beschlossen“, mit Sitzung und
    Protokollpunkt); die Teamleitung genehmigt sie nicht und lehnt sie nicht ab. Andere Arten beschließt es nicht
    selbst: die genehmigt die Teamleitung ASD (4.2)."""
    gremium = _ist_unterkategorie(kommune, x.art)
    if gremium and neu and x.status != werte.MASSNAHME_BESCHLOSSEN:
        raise EingabeFehler(f"{GREMIUM_ENTSCHEIDET}: die Maßnahme wird als „vom Gremium beschlossen“ mit Sitzung und "
                            "Protokollpunkt erfasst; eine Genehmigung der Teamleitung ist nicht nötig.")
    if gremium and "status" in geaendert and x.status in (werte.MASSNAHME_GENEHMIGT, werte.MASSNAHME_ABGELEHNT):
        raise RechteFehler(f"{GREMIUM_ENTSCHEIDET}: die Teamleitung ASD genehmigt sie nicht und lehnt sie nicht ab.")
    if x.status != werte.MASSNAHME_BESCHLOSSEN or not (neu or "status" in geaendert):
        return
    if not gremium:
        raise EingabeFehler("Das Gremium beschließt selbst nur Fortbildung, Supervision und Teamentwicklung (5.3); "
                            f"Maßnahmen der Art „{kommune.massnahmenarten.get(x.art, x.art)}“ beantragt es, und die "
                            "Teamleitung ASD genehmigt sie (4.2).")
    p = x.protokollpunkt or (session.get(m.Protokollpunkt, x.protokollpunkt_id) if x.protokollpunkt_id else None)
    sitzung = session.get(m.Sitzung, x.sitzung_id) if x.sitzung_id is not None else None
    if p is None or sitzung is None or (p.sitzung_id or getattr(p.sitzung, "id", None)) != sitzung.id:
        raise EingabeFehler("Ein Beschluss des Gremiums (5.3) wird mit der Sitzung und dem Protokollpunkt erfasst, "
                            "in dem er gefasst wurde: bitte beide angeben (der Punkt gehört zu dieser Sitzung).")
    # dass eine „durchgeführte“ Sitzung nicht in der Zukunft liegt, prüft die Regel der Sitzung (R4/R5)
    sr, login, status = (_alt(sitzung, f) for f in ("sozialraum_id", "protokoll_login", "status"))
    if status not in SITZUNG_FOLGE or SITZUNG_FOLGE.index(status) < SITZUNG_FOLGE.index("durchgefuehrt"):
        raise EingabeFehler("Das Gremium beschließt in einer Sitzung, die stattgefunden hat: bitte die Sitzung erst "
                            "als durchgeführt setzen.")
    if not (_leitet(akteur, sr) or (login and login == akteur.login)):
        raise RechteFehler("Den Beschluss des Gremiums (5.3) trägt die Teamleitung ASD oder die Protokollführung "
                           "der Sitzung ein.")
    if x.genehmigt or x.genehmigt_von or x.genehmigt_am:
        raise EingabeFehler(f"{GREMIUM_ENTSCHEIDET}: ein Beschluss trägt keine Genehmigung der Teamleitung.")


def _pruefe_umsetzung(session: Session, x: m.Massnahme, akteur: Akteur) -> None:
    """R10/4.2: die Umsetzung erfasst die Teamleitung ASD des Sozialraums, mit Ist-Kosten ≥ 0 und einem Datum, das
    nicht in der Zukunft und nicht vor der Entscheidung liegt."""
    sr_alt, sr_neu = _alt(x, "sozialraum_id"), sr_id(x)
    if not all(politik.darf(akteur, "massnahme_umsetzen", Ziel("massnahme_umsetzen", s)) for s in (sr_alt, sr_neu)):
        raise RechteFehler("Die Umsetzung einer Maßnahme (Ist-Kosten und Datum) erfasst die Teamleitung ASD des "
                           "Sozialraums (R10).")
    if x.kosten_ist is None or x.kosten_ist < 0:
        raise EingabeFehler("Umgesetzt: bitte die Ist-Kosten als Betrag ≥ 0 € angeben.")
    if x.umgesetzt_am is None:
        raise EingabeFehler("Umgesetzt: bitte das Datum der Umsetzung angeben.")
    if x.umgesetzt_am > date.today():
        raise EingabeFehler(f"Umgesetzt am {x.umgesetzt_am:%d.%m.%Y} liegt in der Zukunft; erfasst wird eine "
                            "Umsetzung, wenn sie stattgefunden hat.")
    sitzung = session.get(m.Sitzung, x.sitzung_id) if x.sitzung_id is not None else None
    entschieden = _alt(x, "genehmigt_am") or (_alt(sitzung, "datum") if sitzung is not None else None)
    if entschieden is not None and x.umgesetzt_am < entschieden:
        raise EingabeFehler(f"Umgesetzt am {x.umgesetzt_am:%d.%m.%Y} liegt vor der Entscheidung über die Maßnahme "
                            f"({entschieden:%d.%m.%Y}); bitte das Datum prüfen.")


def _ist_unterkategorie(kommune: Any, art: str) -> bool:
    return any(b.schluessel == art and b.anteil_von for b in kommune.budgetkategorien)


def _bindung(x: m.Massnahme) -> float:
    """Was eine Maßnahme vom Budget bindet: geplante Kosten, höhere Ist-Kosten gehen vor; abgelehnt = 0."""
    if x.status == "abgelehnt":
        return 0.0
    return max(float(x.kosten_geplant or 0), float(x.kosten_ist or 0))


def _erhoeht(x: m.Massnahme, neu: bool) -> bool:
    if neu:
        return _bindung(x) > 0
    g = _geaendert(x)
    if not g & {"kosten_geplant", "kosten_ist", "art", "jahr", "sozialraum_id", "status"}:
        return False
    vorher = 0.0 if _alt(x, "status") == "abgelehnt" else max(float(_alt(x, "kosten_geplant") or 0),
                                                                float(_alt(x, "kosten_ist") or 0))
    return bool(g & {"art", "jahr", "sozialraum_id"}) or _bindung(x) > vorher + 0.005


def pruefe_budget(session: Session, sozialraum_id: int, jahr: int, akteur: Akteur, kommune: Any,
                  erhoehend: list[m.Massnahme]) -> None:
    """R12: harter Deckel je Unterkategorie; jede andere Überschreitung nur mit Bestätigung (Grund) an den
    Maßnahmen, die sie in diesem Flush erhöhen."""
    kandidaten = set(session.scalars(select(m.Massnahme).where(m.Massnahme.sozialraum_id == sozialraum_id,
                                                               m.Massnahme.jahr == jahr)))
    kandidaten |= {o for o in (*session.new, *session.dirty) if isinstance(o, m.Massnahme)}
    kandidaten -= set(session.deleted)
    massnahmen = [x for x in kandidaten if sr_id(x) == sozialraum_id and x.jahr == jahr]
    budgets = {b.kategorie: float(b.betrag_eur) for b in session.scalars(
        select(m.Budget).where(m.Budget.sozialraum_id == sozialraum_id, m.Budget.jahr == jahr))}
    for o in session.new:
        if isinstance(o, m.Budget) and sr_id(o) == sozialraum_id and o.jahr == jahr:
            budgets[o.kategorie] = float(o.betrag_eur)
    for kat in kommune.budgetkategorien:
        gruppe = {kat.schluessel} | {u.schluessel for u in kommune.budgetkategorien if u.anteil_von == kat.schluessel}
        summe = sum(_bindung(x) for x in massnahmen if x.art in gruppe)
        eigene = sum(_bindung(x) for x in massnahmen if x.art == kat.schluessel)
        betroffen = [x for x in erhoehend if x.art in gruppe]
        if kat.deckel_eur is not None and eigene > kat.deckel_eur + 0.005 and any(
                x.art == kat.schluessel for x in erhoehend):
            raise BudgetFehler(
                f"{kat.bezeichnung}: {eur(eigene)} übersteigen den Deckel von {eur(kat.deckel_eur)} im Jahr {jahr} "
                "(R12). Das lässt sich nicht bestätigen; bitte Kosten senken.",
                kategorie=kat.schluessel, summe=eigene, grenze=float(kat.deckel_eur), hart=True)
        if kat.anteil_von is not None or not betroffen or _ist_system(akteur):
            continue
        grenze = budgets.get(kat.schluessel, 0.0)
        if summe > grenze + 0.005 and any(len((x.ueberschreitung_grund or "").strip()) < MINDESTLAENGE_GRUND
                                          for x in betroffen):
            raise BudgetFehler(
                f"{kat.bezeichnung}: {eur(summe)} übersteigen das Budget von {eur(grenze)} im Jahr {jahr}. "
                f"Bitte die Überschreitung mit Begründung (mindestens {MINDESTLAENGE_GRUND} Zeichen) bestätigen.",
                kategorie=kat.schluessel, summe=summe, grenze=grenze, hart=False)


# ------------------------------------------------------------------------------------------ Übrige
def _pruefe_budgetzeile(b: m.Budget, akteur: Akteur, kommune: Any) -> None:
    kat = next((k for k in kommune.budgetkategorien if k.schluessel == b.kategorie), None)
    if kat is None:
        raise EingabeFehler(f"Budgetkategorie '{b.kategorie}' gibt es nicht.")
    if kat.anteil_von and not _ist_system(akteur):
        raise EingabeFehler(f"{kat.bezeichnung} hat kein eigenes Budget: bis zu {eur(kat.deckel_eur or 0)} kommen "
                            f"aus dem Budget '{kat.anteil_von}' (R12).")
    if b.betrag_eur is None or b.betrag_eur < 0:
        raise EingabeFehler("Ein Budget kann nicht negativ sein.")
    if not politik.darf(akteur, "budget_setzen", "budget_setzen"):
        raise RechteFehler("Budgets setzt die Jugendhilfeplanung; die Teamleitung ASD überwacht sie (R10).")


# ------------------------------------------------------------------------------------------ Ereignis
@event.listens_for(Session, "before_flush")
def _gremium_regeln(session: Session, _ctx: Any, _inst: Any) -> None:
    akteur: Akteur | None = session.info.get("akteur")
    if akteur is None:
        return  # daten.audit lehnt Schreiben ohne Person ab
    relevant = (m.Sitzung, m.Protokollpunkt, m.FehlendeRessource, m.Massnahme, m.Budget, m.Hospitation,
                m.Reflexion, m.Stufenbeschluss, m.Teilgremium, m.Lenkungsbericht)
    neu = [o for o in session.new if isinstance(o, relevant)]
    geaendert = [o for o in session.dirty if isinstance(o, relevant) and session.is_modified(o)]
    geloescht = [o for o in session.deleted if isinstance(o, relevant)]
    if not (neu or geaendert or geloescht):
        return
    kommune = kommune_der_sitzung(session)
    erhoehend: dict[tuple[int, int], list[m.Massnahme]] = {}
    session.info["_gespeichert_flush"] = {}
    try:
        _pruefe_alle(session, akteur, kommune, neu, geaendert, geloescht, erhoehend)
    finally:
        session.info.pop("_gespeichert_flush", None)


def _pruefe_alle(session: Session, akteur: Akteur, kommune: Any, neu: list[Any], geaendert: list[Any],
                 geloescht: list[Any], erhoehend: dict[tuple[int, int], list[m.Massnahme]]) -> None:
    with session.no_autoflush:
        for obj in neu:
            _standardwerte(obj)
        for obj in [*neu, *geaendert]:
            ist_neu = obj in session.new
            _pruefe(session, obj, akteur, ist_neu, kommune)
            if isinstance(obj, m.Massnahme) and _erhoeht(obj, ist_neu):
                erhoehend.setdefault((sr_id(obj), obj.jahr), []).append(obj)
        for obj in geloescht:
            _pruefe_loeschen(session, obj, akteur)
        for (sr, jahr), liste in erhoehend.items():
            pruefe_budget(session, sr, jahr, akteur, kommune, liste)


def _standardwerte(obj: Any) -> None:
    """Feste Standardwerte der Spalten schon vor der Prüfung setzen (sonst erst beim INSERT): geprüft wird,
    was gespeichert würde."""
    for spalte in inspect(type(obj)).columns:
        std = spalte.default
        if std is not None and std.is_scalar and getattr(obj, spalte.key, None) is None:
            setattr(obj, spalte.key, std.arg)


def _sequenz_nachfuehren(s: m.Sitzung) -> None:
    """RFC 5546: jede Verschiebung (Datum, Zeit, Ort) und die Absage bekommt eine höhere SEQUENCE als die
    gespeicherte – auch wenn ein Schreibweg am Dienst vorbei sie vergisst. Sinken darf sie nie."""
    geaendert = _geaendert(s)
    gespeichert = int(_alt(s, "sequenz") or 0)
    if int(s.sequenz or 0) < gespeichert:
        raise EingabeFehler("Die Fassung (SEQUENCE) einer Einladung kann nicht sinken.")
    abgesagt = "status" in geaendert and s.status == werte.SITZUNG_ABGESAGT
    if (geaendert & TERMINFELDER or abgesagt) and int(s.sequenz or 0) <= gespeichert:
        s.sequenz = gespeichert + 1


def _pruefe(session: Session, obj: Any, akteur: Akteur, neu: bool, kommune: Any) -> None:
    if isinstance(obj, m.Sitzung):
        _pruefe_sitzung(session, obj, akteur, neu)
        if not neu:
            _sequenz_nachfuehren(obj)
    elif isinstance(obj, m.Protokollpunkt):
        _pruefe_punkt(session, obj, akteur, neu, kommune)
    elif isinstance(obj, m.FehlendeRessource):
        _pruefe_fehlende_ressource(session, obj, akteur, kommune)
    elif isinstance(obj, m.Massnahme):
        _pruefe_massnahme(session, obj, akteur, neu, kommune)
    elif isinstance(obj, m.Budget):
        _pruefe_budgetzeile(obj, akteur, kommune)
    elif isinstance(obj, m.Hospitation):
        _pruefe_hospitation(obj)
    elif isinstance(obj, m.Reflexion):
        _pruefe_reflexion(session, obj, akteur, kommune)
    elif isinstance(obj, m.Lenkungsbericht):
        _pruefe_lenkungsbericht(obj, akteur)
    elif isinstance(obj, m.Stufenbeschluss):
        _pruefe_stufe(session, obj, akteur, kommune, neu)
    elif isinstance(obj, m.Teilgremium):
        _pruefe_teilgremium(obj)


def _pruefe_loeschen(session: Session, obj: Any, akteur: Akteur) -> None:
    if _ist_system(akteur):
        return
    if isinstance(obj, m.Protokollpunkt):
        _pruefe_protokollrecht(session, _sitzung_von(session, obj), akteur)
    elif isinstance(obj, m.FehlendeRessource):
        p = obj.protokollpunkt or session.get(m.Protokollpunkt, obj.protokollpunkt_id)
        _pruefe_protokollrecht(session, _sitzung_von(session, p) if p else None, akteur)
    elif isinstance(obj, m.Sitzung) and not _leitet(akteur, _alt(obj, "sozialraum_id")):
        raise RechteFehler("Sitzungen löscht nur die Teamleitung ASD.")
    elif isinstance(obj, m.Massnahme) and _alt(obj, "status") == werte.MASSNAHME_BESCHLOSSEN:
        raise RechteFehler(f"{GREMIUM_ENTSCHEIDET}: den Beschluss löscht niemand; ändern kann ihn nur ein neuer "
                           "Beschluss des Gremiums.")
    elif isinstance(obj, m.Massnahme) and _alt(obj, "status") != "beantragt" and not _genehmigt(
            akteur, _alt(obj, "sozialraum_id")):
        raise RechteFehler("Eine genehmigte oder abgelehnte Maßnahme löscht nur die Teamleitung ASD (R10).")
