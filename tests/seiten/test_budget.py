"""AppTest der Seiten „Budget“ und „Hospitationen und Reflexion“: Übersicht, Genehmigung nur durch die
Teamleitung ASD, Budget setzen nur durch die Jugendhilfeplanung, Zählung der Hospitationen."""

from datetime import date

import pytest
from sqlalchemy import func, select

import karte  # noqa: F401  (vor dem Start einer Seite laden: im Ordner seiten/ gibt es auch karte.py)
from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.demo import demo_jahre
from daten.politik import SYSTEM, Akteur
from seiten.gemeinsam import md
from tests.seiten.hilfen import ohne_fehler, seite
from tests.seiten.test_sitzungen import kopie  # noqa: F401  (Fixture: beschreibbare Demo-Kopie)

LAUFEND = demo_jahre().laufend  # die Demo-Datenbank der Tests ist mit dem Stichtag heute geladen


def test_budget_zeigt_alle_arten_mit_rest(app_env):
    at = seite("seiten/budget.py").run()
    ohne_fehler(at)
    assert next(s for s in at.selectbox if s.label == "Jahr").value == LAUFEND  # Standard: das laufende Jahr
    for jahr in (LAUFEND, LAUFEND + 1):  # auch das nächste Jahr hat ein Budget (Sitzungen dort sind geplant)
        next(s for s in at.selectbox if s.label == "Jahr").select(jahr).run()
        ohne_fehler(at)
        tab = at.dataframe[0].value
        assert len(tab) == 3 and any("Fortbildung" in a for a in tab["Art"])
        assert tab["Budget"].str.endswith("€").all() and tab["Rest"].str.endswith("€").all()
        assert not [i for i in at.info if "noch kein Budget" in i.value]
    assert not [b for b in at.button if b.label in ("Genehmigen", "Budget speichern")]


def test_jahr_ohne_budget_zeigt_noch_kein_budget_statt_null_euro(app_env):
    ohne = demo_jahre().budgets[0] - 1  # vor den Budgets der Demo
    at = seite("seiten/budget.py").run()
    next(s for s in at.selectbox if s.label == "Jahr").select(ohne).run()
    ohne_fehler(at)
    tab = at.dataframe[0].value
    assert len(tab) == 3 and (tab["Budget"] == "noch kein Budget eingetragen").all() and (tab["Rest"] == "–").all()
    assert not tab["Budget"].str.contains("0,00 €").any()
    hinweis = [i.value for i in at.info if i.value.startswith(f"Für {ohne} ist noch kein Budget eingetragen")]
    assert hinweis and "Sozialraum Neustadt" in hinweis[0] and "Jugendhilfeplanung" in hinweis[0]
    assert not [w for w in at.warning if "überschritten" in w.value]


@pytest.mark.parametrize("rolle", ["teamleitung", "jugendhilfeplanung"])
def test_genehmigen_nur_teamleitung_budget_nur_jugendhilfeplanung(kopie, rolle):  # noqa: F811
    engine, neustadt = kopie
    akteur = Akteur("tl01", "teamleitung", neustadt) if rolle == "teamleitung" else Akteur("jhp", rolle)
    # ein offener Antrag im laufenden Jahr (die Demo hat nicht an jedem Tag schon einen)
    offen = _beantragte_massnahme_heute(engine, Akteur("tl01", "teamleitung", neustadt))
    at = seite("seiten/budget.py", akteur).run()
    next(s for s in at.selectbox if s.label == "Jahr").select(LAUFEND).run()
    ohne_fehler(at)
    knoepfe = {b.label for b in at.button}
    if rolle == "teamleitung":
        assert "Genehmigen" in knoepfe and "Budget speichern" not in knoepfe
        next(sb for sb in at.selectbox if sb.label == "Beantragte Maßnahme").select(offen)
        next(b for b in at.button if b.label == "Genehmigen").click().run()
        assert any(s.value == "Maßnahme genehmigt." for s in at.success)
        with sitzung(engine, akteur=None) as s:
            x = s.get(m.Massnahme, offen)
            assert (x.status, x.genehmigt_von, x.jahr) == ("genehmigt", "tl01", LAUFEND)
    else:
        assert "Genehmigen" not in knoepfe and "Budget speichern" in knoepfe
        at.number_input[0].set_value(12000.0)
        next(b for b in at.button if b.label == "Budget speichern").click().run()
        assert any(s.value == "Budget gespeichert." for s in at.success)
        assert at.dataframe[0].value["Budget"].iloc[0] == "12.000,00 €"


def test_jugendhilfeplanung_traegt_fehlendes_budget_ein(kopie):  # noqa: F811
    engine, _ = kopie
    ohne = demo_jahre().budgets[0] - 1
    at = seite("seiten/budget.py", Akteur("jhp", "jugendhilfeplanung")).run()
    next(s for s in at.selectbox if s.label == "Jahr").select(ohne).run()
    assert at.dataframe[0].value["Budget"].iloc[0] == "noch kein Budget eingetragen"
    at.number_input[0].set_value(8000.0)
    next(b for b in at.button if b.label == "Budget speichern").click().run()
    ohne_fehler(at)
    tab = at.dataframe[0].value.set_index("Art")
    assert tab.loc["Fallübergreifende Maßnahmen", "Budget"] == "8.000,00 €"
    assert tab.loc["Fallunspezifische Maßnahmen", "Budget"] == "noch kein Budget eingetragen"  # nur eine Kategorie
    hinweis = [i.value for i in at.info if i.value.startswith(f"Für {ohne} ist noch kein Budget eingetragen")]
    assert hinweis and "Fallunspezifische Maßnahmen" in hinweis[0]


def _beantragte_massnahme_heute(engine, tl: Akteur) -> int:
    """Eine beantragte Maßnahme im laufenden Jahr, so angelegt wie auf den Seiten (Sitzung heute, Punkt, Antrag):
    die Demo hat nicht an jedem Tag des Jahres schon einen offenen Antrag im laufenden Jahr."""
    from daten.config import lade_kommune
    from daten.dienste import massnahmen, protokoll
    from daten.dienste import sitzungen as dienst

    with sitzung(engine, akteur=None) as s:
        asd = s.scalar(select(m.Einrichtung.id).join(m.Stadtteil).where(
            m.Stadtteil.sozialraum_id == tl.sozialraum_id, m.Einrichtung.art == "asd"))
    with sitzung(engine, akteur=tl) as s:
        feld = dienst.protokoll_vorschlag(s, sozialraum_id=tl.sozialraum_id, datum=date.today())  # Wechsel 4.1
        sid = dienst.plane_sitzung(s, tl, kommune=lade_kommune(), sozialraum_id=tl.sozialraum_id, datum=date.today(),
                                   ort_id=asd, protokoll_bereich=feld, protokollfuehrung=f"Teamleitung ({feld})").id
    with sitzung(engine, akteur=tl) as s:
        dienst.setze_status(s, tl, sitzung_id=sid, status="durchgefuehrt")
    with sitzung(engine, akteur=tl) as s:
        pid = protokoll.speichere_punkt(s, tl, sitzung_id=sid, frage=2, handlungsebene="falluebergreifend",
                                        text="Ein Elternkurs im Stadtteil wird gebraucht.").id
    with sitzung(engine, akteur=tl) as s:
        return massnahmen.lege_massnahme_an(s, tl, protokollpunkt_id=pid, titel="Elternkurs aus dem Seitentest",
                                            art="falluebergreifend", kosten_geplant=400,
                                            beschlussvorlage="1470/2012").id


def test_hospitationen_und_reflexion(app_env):
    at = seite("seiten/hospitationen.py").run()
    ohne_fehler(at)
    zahl = at.dataframe[0].value
    assert set(zahl.columns) >= {"Sozialraum", "Jahr", "Hospitationen", "davon gleiche Art (markiert)"}
    with sitzung(erstelle_engine(app_env), akteur=None) as s:
        hospitationen = s.scalar(select(func.count()).select_from(m.Hospitation))
        arten = set(s.scalars(select(m.Reflexion.art)))
    assert zahl["Hospitationen"].sum() == hospitationen >= 10  # je Sozialraum mindestens eine im Vorjahr
    # die Reflexion des Vorjahres steht in der Demo, sobald ihr Termin (Januar/Februar) vorbei ist
    namen = {"gemeinsam": "Delegierte + Lenkungsgruppe", "lenkungsgruppe": "Lenkungsgruppe allein"}
    reflexion = at.dataframe[-1].value
    assert set(reflexion["Art"]) == {namen[a] for a in arten}
    if date.today() >= date(date.today().year, 3, 1):
        assert set(reflexion["Art"]) == set(namen.values())
    assert not [b for b in at.button if b.label in ("Hospitation speichern", "Reflexion speichern")]


def test_hospitation_eintragen_als_mitglied(kopie):  # noqa: F811
    _, neustadt = kopie
    at = seite("seiten/hospitationen.py", Akteur("mitglied01", "mitglied", neustadt)).run()
    ohne_fehler(at)
    next(b for b in at.button if b.label == "Hospitation speichern").click().run()
    assert any(s.value == "Hospitation gespeichert." for s in at.success)


def _gehaltene_sitzung_mit_punkt(engine, tl: Akteur, tag: date) -> int:
    from daten.config import lade_kommune
    from daten.dienste import protokoll
    from daten.dienste import sitzungen as dienst

    with sitzung(engine, akteur=None) as s:
        asd = s.scalar(select(m.Einrichtung.id).join(m.Stadtteil).where(
            m.Stadtteil.sozialraum_id == tl.sozialraum_id, m.Einrichtung.art == "asd"))
    with sitzung(engine, akteur=tl) as s:
        feld = dienst.protokoll_vorschlag(s, sozialraum_id=tl.sozialraum_id, datum=tag)  # Wechsel 4.1
        sid = dienst.plane_sitzung(s, tl, kommune=lade_kommune(), sozialraum_id=tl.sozialraum_id, datum=tag, ort_id=asd,
                                   protokoll_bereich=feld, protokollfuehrung=f"Teamleitung ({feld})").id
    # Die Sitzung liegt im Jahr mit bzw. ohne Budget, also in der Zukunft: „durchgeführt“ setzt hier das System –
    # Personen dürfen es erst ab dem Sitzungstag (daten.gremium.regeln).
    with sitzung(engine, akteur=SYSTEM) as s:
        s.get(m.Sitzung, sid).status = "durchgefuehrt"
    with sitzung(engine, akteur=tl) as s:
        protokoll.speichere_punkt(s, tl, sitzung_id=sid, frage=2, handlungsebene="falluebergreifend",
                                  text="Ein Elternkurs im Stadtteil wird gebraucht.")
    return sid


@pytest.mark.parametrize("mit_budget", [True, False], ids=["jahr-mit-budget", "jahr-ohne-budget"])
def test_protokoll_massnahme_beantragen_je_nach_budget_des_jahres(kopie, mit_budget):  # noqa: F811
    """Seite „Protokoll“: für eine Sitzung im Jahr mit Budget wird die Maßnahme beantragt; im Jahr danach (ohne
    Budget) sagt die Seite schon über dem Formular, dass noch kein Budget eingetragen ist, und lehnt ab."""
    engine, neustadt = kopie
    tl = Akteur("tl01", "teamleitung", neustadt)
    jahr = demo_jahre().naechstes if mit_budget else demo_jahre().budgets[-1] + 1
    sid = _gehaltene_sitzung_mit_punkt(engine, tl, date(jahr, 2, 10))
    at = seite("seiten/protokoll.py", tl)
    at.session_state["protokoll_sitzung"] = sid
    at.run()
    ohne_fehler(at)
    hinweis = [i.value for i in at.info if "noch kein Budget eingetragen" in i.value]
    next(t for t in at.text_input if t.label == "Titel der Maßnahme").input("Elternkurs aus dem Protokolltest")
    next(n for n in at.number_input if n.label == "Geplante Kosten (€)").set_value(500.0)
    next(b for b in at.button if b.label == "Maßnahme beantragen").click().run()
    with sitzung(engine, akteur=None) as s:
        neu = s.scalar(select(func.count()).select_from(m.Massnahme).where(
            m.Massnahme.titel == "Elternkurs aus dem Protokolltest", m.Massnahme.jahr == jahr))
    if mit_budget:
        assert not hinweis and neu == 1
        assert any(s.value == "Maßnahme beantragt." for s in at.success)
    else:
        erwartet = md(f"Für {jahr} ist noch kein Budget eingetragen (Sozialraum Neustadt)")
        assert hinweis and hinweis[0].startswith(erwartet)
        assert "Jugendhilfeplanung" in hinweis[0] and neu == 0
        fehler = [e.value for e in at.error]
        assert any(f"Für {jahr} ist noch kein Budget eingetragen" in f and "Jugendhilfeplanung" in f
                   for f in fehler), fehler
        assert not any("0,00" in f for f in fehler)
