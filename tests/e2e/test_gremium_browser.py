"""Gremiumsarbeit im echten Browser: Sitzung planen → Einladung (.ics) → Protokoll mit Fallbesprechung (ohne
Freigabe gesperrt, Personendaten markiert) → Maßnahme → Genehmigung durch die Teamleitung → Budget; ein Mitglied
eines anderen Sozialraums kann das Protokoll nicht öffnen. Konten: tl01, mitglied01, mitglied10 (Passwort demo)."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from analysen.gremium import budget_uebersicht
from daten import modelle as m
from daten.config import lade_kommune
from daten.db import erstelle_engine, sitzung
from daten.dienste.budget import budgets_und_massnahmen
from daten.dienste.sitzungen import STATUS_TEXT
from tests.e2e.hilfen import demo_app

pytestmark = pytest.mark.browser
T = 60000
TITEL = "Elternkurs aus dem Browsertest"


@pytest.fixture(scope="module")
def app(demo_sqlite_url, tmp_path_factory):
    with demo_app(demo_sqlite_url, tmp_path_factory.mktemp("gremium_app")) as (adresse, url):
        yield adresse, url


def _anmelden(seite, login: str) -> None:
    if seite.get_by_role("button", name="Abmelden").count():
        seite.get_by_role("button", name="Abmelden").click()
        seite.get_by_role("button", name="Anmelden").wait_for(timeout=T)
        _warte_ruhig(seite)
    seite.get_by_label("Benutzername", exact=True).fill(login)
    seite.get_by_label("Passwort", exact=True).fill("demo")
    seite.get_by_role("button", name="Anmelden").click()
    seite.get_by_text("Angemeldet:").wait_for(timeout=T)


def _seite(seite, titel: str, ueberschrift: str) -> None:
    seite.get_by_role("link", name=titel, exact=True).click()
    seite.get_by_role("heading", name=ueberschrift).wait_for(timeout=T)


def _waehle(seite, label: str, option: str) -> None:
    """Streamlit-Auswahl: öffnen, Text tippen (die Liste ist virtualisiert), Treffer anklicken. Läuft die Seite
    dazwischen neu (Neuladen nach dem Speichern), schließt sich die Liste: dann noch einmal."""
    for versuch in range(3):
        _warte_ruhig(seite)
        seite.get_by_label(label, exact=True).first.click()
        seite.keyboard.type(option)
        treffer = seite.get_by_role("option", name=option).first
        try:
            treffer.wait_for(timeout=10000)
            treffer.click()
            return
        except Exception:  # noqa: BLE001 - Liste durch Neulauf geschlossen
            seite.keyboard.press("Escape")
            if versuch == 2:
                raise


def _warte_ruhig(seite) -> None:
    """Kurz warten, bis Streamlit nicht mehr rechnet (Statusanzeige „Running“ verschwunden)."""
    seite.wait_for_timeout(500)
    seite.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=T)
    seite.wait_for_timeout(300)


def _datum(seite, label: str, tag: date) -> None:
    """Streamlit-Datumsfeld (Segmente Tag, Monat, Jahr): ins Tagesfeld klicken, TTMMJJJJ tippen (das Feld springt
    selbst weiter), mit Tab übernehmen."""
    seite.get_by_role("spinbutton", name=f"day, {label}").click()
    seite.keyboard.type(f"{tag:%d%m%Y}")
    seite.keyboard.press("Enter")
    # Streamlit übernimmt den Wert beim Verlassen des Felds und lädt neu: vorher verlassen und abwarten, sonst
    # verschluckt dieser Neulauf den nächsten Klick
    seite.get_by_role("heading", name="Sitzungen der Sozialraumgremien").click()
    _warte_ruhig(seite)
    for _ in range(40):  # bis Streamlit die veralteten Elemente des vorigen Laufs entfernt hat
        if seite.get_by_role("button", name="Sitzung planen", exact=True).count() <= 1:
            break
        seite.wait_for_timeout(250)
    jahr = seite.get_by_role("spinbutton", name=f"year, {label}")
    assert jahr.get_attribute("aria-valuenow") == str(tag.year)
    assert seite.get_by_role("spinbutton", name=f"day, {label}").get_attribute("aria-valuenow") == str(tag.day)


def test_gremium_ablauf_im_browser(app, seite, artefakte):
    adresse, url = app
    tag = date.today()  # „durchgeführt“ gibt es erst ab dem Sitzungstag: die Sitzung ist heute
    seite.goto(adresse, wait_until="domcontentloaded", timeout=T)
    seite.get_by_text("Ressourcenkarte").first.wait_for(timeout=T)

    # 1. Teamleitung plant die Sitzung und gibt das Protokoll an mitglied01 (Auswahl aus den Konten des Sozialraums)
    _anmelden(seite, "tl01")
    _seite(seite, "Sitzungen", "Sitzungen der Sozialraumgremien")
    seite.get_by_text("Sitzung planen (Teamleitung ASD)").click()
    _datum(seite, "Datum der Sitzung", tag)
    seite.get_by_label("Name der Protokollführung").fill("Kita-Leitung Browsertest")
    _waehle(seite, "Konto der Protokollführung (optional)", "Gremiumsmitglied Neustadt (Demo)")
    seite.get_by_role("button", name="Sitzung planen").click()
    seite.get_by_text("Sitzung geplant.").wait_for(timeout=T)
    _waehle(seite, "Sitzung", f"{tag:%d.%m.%Y} – ")  # Beschriftung: Datum – Ort (ohne Status)
    _warte_ruhig(seite)

    # 2. Einladung als .ics
    with seite.expect_download(timeout=T) as dl:
        seite.get_by_role("button", name="Einladung als Kalenderdatei (.ics)").click()
    ics = artefakte / "einladung.ics"
    dl.value.save_as(ics)
    ev = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert len(ev) == 1 and ev[0].decoded("DTSTART").date() == tag and str(ev[0]["LOCATION"])

    # Sitzung hat stattgefunden
    _waehle(seite, "Status", "durchgeführt")
    seite.get_by_role("button", name="Status setzen").click()
    seite.get_by_text("Status gesetzt.").wait_for(timeout=T)

    # 3. Mitglied schreibt das Protokoll: Fallbesprechung ohne Freigabe gesperrt, Personendaten markiert
    _anmelden(seite, "mitglied01")
    _seite(seite, "Protokoll", "Ergebnisprotokoll")
    _waehle(seite, "Sitzung", f"{tag:%d.%m.%Y} – ")
    _warte_ruhig(seite)
    text = seite.get_by_label("Text des Punkts")
    text.fill("Eine Familie mit drei Kindern braucht rasch Unterstützung im Alltag.")
    text.press("Control+Enter")
    _warte_ruhig(seite)
    seite.get_by_text("Fallbesprechung (Einzelfall, R3)").click()
    _warte_ruhig(seite)
    seite.get_by_role("button", name="Prüfen und speichern").click()
    seite.get_by_text("anonymisiert oder mit Schweigepflichtsentbindung").wait_for(timeout=T)
    seite.get_by_text("anonymisiert", exact=True).click()
    _warte_ruhig(seite)
    text.fill("Frau Müller aus der Hafenstraße 12 braucht mit ihren drei Kindern rasch Unterstützung.")
    text.press("Control+Enter")
    _warte_ruhig(seite)
    seite.get_by_role("button", name="Prüfen und speichern").click()
    seite.get_by_text("Möglicherweise personenbezogene Angaben").wait_for(timeout=T)
    assert seite.get_by_text("Frau Müller").first.is_visible()
    seite.screenshot(path=str(artefakte / "gremium_datenschutz.png"), full_page=True)
    grund = seite.get_by_label("Begründung der Bestätigung (mindestens 10 Zeichen)")
    grund.fill("Anonymisierung folgt, Zustimmung liegt vor.")
    grund.press("Enter")
    _warte_ruhig(seite)
    seite.get_by_role("button", name="Bestätigen und speichern").click()
    seite.get_by_text("Punkt gespeichert.").wait_for(timeout=T)

    # 4. Maßnahme aus dem Protokollpunkt
    seite.get_by_label("Titel der Maßnahme").fill(TITEL)
    seite.get_by_label("Geplante Kosten (€)").fill("500")
    seite.get_by_role("button", name="Maßnahme beantragen").click()
    seite.get_by_text("Maßnahme beantragt.").wait_for(timeout=T)

    engine = erstelle_engine(url)
    kommune = lade_kommune()

    def genehmigt() -> float:
        with sitzung(engine, akteur=None) as s:
            sr = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Neustadt"))
            b, mm = budgets_und_massnahmen(s, jahr=tag.year, sozialraum_id=sr)
        u = budget_uebersicht(b, mm, kommune.budgetkategorien).set_index("kategorie")
        return float(u.loc["falluebergreifend", "genehmigt"])

    vorher = genehmigt()

    # 5. Teamleitung genehmigt; das Budget zeigt den neuen Stand
    _anmelden(seite, "tl01")
    _seite(seite, "Budget", "Budget und Maßnahmen")
    _waehle(seite, "Jahr", str(tag.year))
    _warte_ruhig(seite)
    _waehle(seite, "Beantragte Maßnahme", TITEL)
    seite.get_by_role("button", name="Genehmigen").click()
    seite.get_by_text("Maßnahme genehmigt.").wait_for(timeout=T)
    seite.screenshot(path=str(artefakte / "gremium_budget.png"), full_page=True)
    assert genehmigt() == pytest.approx(vorher + 500)
    with sitzung(engine, akteur=None) as s:
        x = s.scalar(select(m.Massnahme).where(m.Massnahme.titel == TITEL))
        assert (x.status, x.genehmigt_von, x.genehmigt_am) == ("genehmigt", "tl01", date.today())
        p = s.get(m.Protokollpunkt, x.protokollpunkt_id)
        assert p.fallbesprechung and p.anonymisiert and p.datenschutz_grund.startswith("Anonymisierung")
    engine.dispose()

    # 6. Mitglied eines anderen Sozialraums öffnet das Protokoll nicht
    _anmelden(seite, "mitglied10")
    _seite(seite, "Protokoll", "Ergebnisprotokoll")
    _waehle(seite, "Sozialraum", "Neustadt")
    seite.get_by_text("lesen nur die Personen auf dem Verteiler").wait_for(timeout=T)
    assert seite.get_by_text("Frau Müller").count() == 0
    assert not seite.dialoge


def test_status_dann_delegation_landet_auf_der_gezeigten_sitzung(app, seite, artefakte):
    """Issue 14: nach „Status setzen“ sprang die Auswahl auf eine andere Sitzung, und „Delegieren“ landete dort.
    Jetzt bleibt die gewählte Sitzung stehen (Datum, Ort, Status darüber), und die Delegation trifft genau sie."""
    adresse, url = app
    engine = erstelle_engine(url)

    def neustadt_offen() -> list[m.Sitzung]:
        with sitzung(engine, akteur=None) as s:
            sr = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Neustadt"))
            return list(s.scalars(select(m.Sitzung).options(selectinload(m.Sitzung.ort),
                                                            selectinload(m.Sitzung.delegationen))
                                  .where(m.Sitzung.sozialraum_id == sr,
                                         m.Sitzung.status.in_(["geplant", "eingeladen"])).order_by(m.Sitzung.datum)))

    seite.goto(adresse, wait_until="domcontentloaded", timeout=T)
    seite.get_by_text("Ressourcenkarte").first.wait_for(timeout=T)
    _anmelden(seite, "tl01")
    _seite(seite, "Sitzungen", "Sitzungen der Sozialraumgremien")
    # eine zweite offene Sitzung, damit die Vorwahl (die erste offene) eine andere ist als die gewählte
    seite.get_by_text("Sitzung planen (Teamleitung ASD)").click()
    _datum(seite, "Datum der Sitzung", date.today() + timedelta(days=9))
    seite.get_by_role("button", name="Sitzung planen").click()
    seite.get_by_text("Sitzung geplant.").wait_for(timeout=T)
    offen = neustadt_offen()
    assert len(offen) >= 2
    ziel = offen[-1]
    andere = {sz.id: len(sz.delegationen) for sz in offen if sz.id != ziel.id}
    _waehle(seite, "Sitzung", f"{ziel.datum:%d.%m.%Y} – {ziel.ort.name}")
    neu = "geplant" if ziel.status == "eingeladen" else "eingeladen"
    _waehle(seite, "Status", STATUS_TEXT[neu])
    seite.get_by_role("button", name="Status setzen").click()
    seite.get_by_text("Status gesetzt.").wait_for(timeout=T)
    _warte_ruhig(seite)
    # die gezeigte Sitzung ist noch dieselbe: Kopf über den Aktionen mit ihrem Datum und dem neuen Status
    kopf = f"Sitzung am {ziel.datum:%d.%m.%Y} · Ort: {ziel.ort.name} · Status: {STATUS_TEXT[neu]}"
    seite.get_by_text(kopf, exact=True).wait_for(timeout=T)  # die Zeile unter der Auswahl, genau so
    _waehle(seite, "Konto, das das Protokoll schreibt", "Gremiumsmitglied Neustadt (Demo)")
    seite.get_by_role("button", name="Delegieren").click()
    seite.get_by_text(f"Protokoll der Sitzung am {ziel.datum:%d.%m.%Y} an").wait_for(timeout=T)
    seite.screenshot(path=str(artefakte / "gremium_delegation.png"), full_page=True)
    nachher = {sz.id: sz for sz in neustadt_offen()}
    assert nachher[ziel.id].status == neu and nachher[ziel.id].protokoll_login == "mitglied01"
    assert [d.an_login for d in nachher[ziel.id].delegationen][-1] == "mitglied01"
    assert {i: len(nachher[i].delegationen) for i in andere} == andere  # keine andere Sitzung bekam die Delegation
    engine.dispose()
