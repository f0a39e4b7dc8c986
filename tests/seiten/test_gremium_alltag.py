"""AppTest der Seiten „Budget“, „Hospitationen und Reflexion“ und „Bericht“ für Issue 14: umgesetzte Maßnahme
erfassen (Teamleitung), Bericht an die Lenkungsgruppe und Stand der Pflichten, gemeinsame Reflexion mit Delegierten
(einmal im Jahr), Einschätzung je Frage bearbeiten (Jugendhilfeplanung)."""

from datetime import date, timedelta

from sqlalchemy import select

import karte  # noqa: F401  (vor dem Start einer Seite laden: im Ordner seiten/ gibt es auch karte.py)
from daten import modelle as m
from daten.db import sitzung
from daten.demo import demo_jahre
from daten.dienste import massnahmen
from daten.politik import Akteur
from tests.seiten.hilfen import ohne_fehler, seite
from tests.seiten.test_budget import _beantragte_massnahme_heute
from tests.seiten.test_sitzungen import kopie  # noqa: F401  (Fixture: beschreibbare Demo-Kopie)

LAUFEND = demo_jahre().laufend


def test_teamleitung_erfasst_umgesetzte_massnahme_mit_ist_kosten_und_datum(kopie):  # noqa: F811
    engine, neustadt = kopie
    tl = Akteur("tl01", "teamleitung", neustadt)
    mid = _beantragte_massnahme_heute(engine, tl)
    with sitzung(engine, akteur=tl) as s:
        massnahmen.entscheide_massnahme(s, tl, massnahme_id=mid, genehmigen=True)
    at = seite("seiten/budget.py", tl).run()
    next(s for s in at.selectbox if s.label == "Jahr").select(LAUFEND).run()
    ohne_fehler(at)
    nach_art = next(d.value for d in at.dataframe if "umgesetzt" in d.value.columns)
    assert list(nach_art.columns)[:3] == ["Art", "Anzahl", "genehmigt/beschlossen"]
    next(sb for sb in at.selectbox if sb.label == "Genehmigte oder beschlossene Maßnahme").select(mid)
    next(n for n in at.number_input if n.label == "Ist-Kosten (€)").set_value(385.5)
    next(b for b in at.button if b.label == "Als umgesetzt speichern").click().run()
    ohne_fehler(at)
    assert any(s.value == "Maßnahme als umgesetzt erfasst (385,50 €)." for s in at.success)
    with sitzung(engine, akteur=None) as s:
        x = s.get(m.Massnahme, mid)
        assert (x.status, x.kosten_ist, x.umgesetzt_am) == ("umgesetzt", 385.5, date.today())


def test_mitglied_sieht_kein_umsetzen_und_kein_genehmigen(kopie):  # noqa: F811
    _, neustadt = kopie
    at = seite("seiten/budget.py", Akteur("mitglied01", "mitglied", neustadt)).run()
    ohne_fehler(at)
    assert not [b for b in at.button if b.label in ("Als umgesetzt speichern", "Genehmigen")]


def test_teamleitung_erfasst_bericht_an_die_lenkungsgruppe(kopie):  # noqa: F811
    engine, neustadt = kopie
    vorjahr = date.today().year - 1
    at = seite("seiten/hospitationen.py", Akteur("tl01", "teamleitung", neustadt)).run()
    ohne_fehler(at)
    assert next(s for s in at.selectbox if s.label == "Betrachtetes Jahr").value == vorjahr
    next(b for b in at.button if b.label == "Bericht an die Lenkungsgruppe speichern").click().run()
    ohne_fehler(at)
    assert any(s.value == "Bericht an die Lenkungsgruppe erfasst." for s in at.success)
    stand = next(d.value for d in at.dataframe if "Bericht der Teamleitung an die Lenkungsgruppe" in d.value.columns)
    stand = stand.set_index("Sozialraum")["Bericht der Teamleitung an die Lenkungsgruppe"]
    assert stand["Neustadt"] == f"erstattet am {date.today():%d.%m.%Y}"
    assert set(stand) <= {"fehlt"} | {v for v in stand if v.startswith("erstattet am ")}
    with sitzung(engine, akteur=None) as s:
        b = s.scalar(select(m.Lenkungsbericht).where(m.Lenkungsbericht.sozialraum_id == neustadt,
                                                     m.Lenkungsbericht.jahr == vorjahr))
        assert (b.datum, b.erstattet_von) == (date.today(), "tl01")


def test_jugendhilfeplanung_dokumentiert_reflexion_mit_delegierten_einmal_im_jahr(kopie):  # noqa: F811
    engine, _ = kopie
    jahr = date.today().year  # über das laufende Jahr gibt es noch keine Reflexion
    at = seite("seiten/hospitationen.py", Akteur("jhp", "jugendhilfeplanung")).run()
    ohne_fehler(at)
    assert not [b for b in at.button if b.label == "Bericht an die Lenkungsgruppe speichern"]
    next(n for n in at.number_input if n.label == "Betrachtetes Jahr" and n.key != "lg_jahr").set_value(jahr)
    next(t for t in at.text_input if t.label == "Delegierte Person Neustadt").input("A. Delegierte")
    next(t for t in at.text_area if t.label == "Ergebnisse").input("Turnus eingehalten.")
    next(b for b in at.button if b.label == "Reflexion speichern").click().run()
    ohne_fehler(at)
    assert any(s.value == "Reflexion gespeichert." for s in at.success)
    with sitzung(engine, akteur=None) as s:
        r = s.scalar(select(m.Reflexion).where(m.Reflexion.jahr == jahr, m.Reflexion.art == "gemeinsam"))
        assert r.delegierte == [{"sozialraum": "Neustadt", "name": "A. Delegierte"}] and r.dokumentiert_von == "jhp"
    next(n for n in at.number_input if n.label == "Betrachtetes Jahr" and n.key != "lg_jahr").set_value(jahr)
    next(t for t in at.text_input if t.label == "Delegierte Person Neustadt").input("B. Zweite")
    next(t for t in at.text_area if t.label == "Ergebnisse").input("noch einmal")
    next(b for b in at.button if b.label == "Reflexion speichern").click().run()
    assert [e.value for e in at.error if "schon dokumentiert" in e.value and "einmal im Jahr" in e.value]
    assert not at.exception


def test_jugendhilfeplanung_bearbeitet_die_einschaetzung_je_frage(kopie):  # noqa: F811
    engine, neustadt = kopie
    jahr = demo_jahre().vorjahr
    at = seite("seiten/bericht.py", Akteur("jhp", "jugendhilfeplanung")).run()
    ohne_fehler(at)
    feld = next(t for t in at.text_area if t.label == "Einschätzung")
    assert "Protokollpunkte aus" in feld.value or "nichts protokolliert" in feld.value  # der Entwurf
    feld.input("Die Jugendhilfeplanung sieht Bedarf an Sprachförderung.")
    next(b for b in at.button if b.label == "Einschätzung speichern").click().run()
    ohne_fehler(at)
    assert any(s.value.startswith("Einschätzung gespeichert") for s in at.success)
    with sitzung(engine, akteur=None) as s:
        b = s.scalar(select(m.Bewertung))
        assert (b.sozialraum_id, b.jahr, b.frage, b.text, b.geaendert_von) == (
            neustadt, jahr, 1, "Die Jugendhilfeplanung sieht Bedarf an Sprachförderung.", "jhp")


def test_einschaetzung_nur_fuer_die_jugendhilfeplanung(kopie):  # noqa: F811
    _, neustadt = kopie
    at = seite("seiten/bericht.py", Akteur("tl01", "teamleitung", neustadt)).run()
    ohne_fehler(at)
    assert not [t for t in at.text_area if t.label == "Einschätzung"]


def test_stufe_springt_nur_mit_grund_und_vermerkt_wer(kopie):  # noqa: F811
    engine, _ = kopie
    with sitzung(engine, akteur=None) as s:  # ein Gremium, das in der Demo noch auf Stufe 1 steht
        hoechste = {}
        for b in s.scalars(select(m.Stufenbeschluss)):
            hoechste[b.sozialraum_id] = max(hoechste.get(b.sozialraum_id, 1), b.stufe)
        sr = min(i for i, st in hoechste.items() if st == 1)
    tl = Akteur("tl-stufe", "teamleitung", sr)
    ab = date.today() + timedelta(days=30)

    def beschliessen(grund: str) -> None:
        next(s for s in at.selectbox if s.label == "Stufe").select(3)
        next(d for d in at.date_input if d.label == "gilt ab").set_value(ab)
        next(t for t in at.text_area if t.label.startswith("Beschluss")).input("Lenkungsgruppe: Stufe 3.")
        next(t for t in at.text_input if t.label.startswith("Grund, falls eine Stufe")).input(grund)
        next(b for b in at.button if b.label == "Stufenbeschluss speichern").click().run()

    at = seite("seiten/sitzungen.py", tl).run()
    ohne_fehler(at)
    beschliessen("")
    assert [e.value for e in at.error if "Stufe für Stufe" in e.value and "Grund" in e.value]
    beschliessen("Alle Träger wirken schon seit einem Jahr mit.")
    ohne_fehler(at)
    geschichte = next(d.value for d in at.dataframe if "eingetragen von" in d.value.columns)
    assert geschichte["eingetragen von"].iloc[0] == "tl-stufe" and geschichte["Stufe"].iloc[0] == 3
    assert geschichte["Grund für den Sprung"].iloc[0] == "Alle Träger wirken schon seit einem Jahr mit."
