"""Pflege-Seite, Teil „Einrichtungen“: anlegen, bearbeiten, verschieben, schließen/öffnen, bestätigen, löschen.

Die Seite sammelt nur Eingaben; jede Regel (Rechte, Stadtgebiet, Dubletten, Versionen) prüft
`daten.dienste.einrichtungen`, und dessen deutsche Meldung wird angezeigt.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from daten import dienste, politik
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste.ausnahmen import DublettenWarnung
from daten.fehler import KonfliktFehler, RessourcenkarteFehler
from daten.politik import darf_schreiben
from seiten import _pflege_lage as lage
from seiten import _pflege_verlauf as verlauf
from seiten import gemeinsam as g

MELDUNG = "pflege_meldung"
GELADEN = "pflege_geladen"
DUBLETTE = "pflege_dublette"
AUSWAHL = "pflege_auswahl"
REITER_WUNSCH = "pflege_reiter_wunsch"  # Reiter, den die Seite beim nächsten Lauf öffnet (vor dem Widget gesetzt)
_ALT = date(1900, 1, 1)


def erfolg(text: str) -> None:
    """Meldung für den nächsten Lauf merken und neu laden (Formulare zeigen dann den gespeicherten Stand)."""
    st.session_state[MELDUNG] = text
    st.session_state.pop(GELADEN, None)
    st.session_state.pop(DUBLETTE, None)
    st.rerun()


def formular(werte: dict[str, Any], schluessel: str, *, gesperrt: bool = False,
             adresse_vorschlag: str | None = None) -> dict[str, Any]:
    """Eingabefelder aller bearbeitbaren Felder; gibt die Werte in der Form von `de.formularwerte` zurück."""
    kommune = g.kommune()
    arten = {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten}
    traeger = dict(kommune.traegerarten)
    a, b = st.columns(2)
    name = a.text_input("Name", value=werte.get("name") or "", key=f"{schluessel}_name", disabled=gesperrt)
    art = b.selectbox("Art", list(arten), format_func=arten.get, key=f"{schluessel}_art", disabled=gesperrt,
                      index=list(arten).index(werte["art"]) if werte.get("art") in arten else None,
                      placeholder="bitte wählen", on_change=_zielgruppen_der_art,
                      args=(schluessel, werte.get("art")))
    t_index = list(traeger).index(werte["traeger_art"]) if werte.get("traeger_art") in traeger else None
    t_art = a.selectbox("Trägerart", list(traeger), format_func=traeger.get, key=f"{schluessel}_tart",
                        index=t_index, placeholder="bitte wählen", disabled=gesperrt)
    traeger_name = b.text_input("Träger", value=werte.get("traeger") or "", key=f"{schluessel}_traeger",
                                disabled=gesperrt)
    adresse = st.text_input("Adresse", value=adresse_vorschlag or werte.get("adresse") or "", disabled=gesperrt,
                            key=f"{schluessel}_adresse_{adresse_vorschlag or ''}")
    vorhanden = list(werte.get("zielgruppen") or [])
    zg_schluessel = f"{schluessel}_zg"
    gesetzt = list(st.session_state.get(zg_schluessel) or [])  # z. B. aus der Art vorbelegt
    optionen = sorted({z for art_ in kommune.einrichtungsarten for z in art_.zielgruppen} | set(vorhanden)
                      | set(gesetzt))
    # ohne „Alle auswählen“ (select_all=False): ein Klick darauf wählte alle Zielgruppen auf einmal
    zielgruppen = st.multiselect("Zielgruppen", optionen, default=None if zg_schluessel in st.session_state
                                 else vorhanden, key=zg_schluessel, accept_new_options=True, disabled=gesperrt,
                                 placeholder="wählen oder eintippen", select_all=False,
                                 help="Mit der Art vorbelegt (Konfiguration); ergänzen oder entfernen")
    angebote = st.text_area("Angebote (eines je Zeile)", value="\n".join(werte.get("angebote") or []),
                            key=f"{schluessel}_angebote", disabled=gesperrt)
    a, b, c = st.columns(3)
    kap = a.number_input("Kapazität (z. B. Plätze)", min_value=0, step=1, value=werte.get("kapazitaet"),
                         key=f"{schluessel}_kap", disabled=gesperrt)
    von = b.date_input("gültig von", value=werte.get("gueltig_von"), min_value=_ALT, format="DD.MM.YYYY",
                       key=f"{schluessel}_von", disabled=gesperrt)
    bis = c.date_input("gültig bis", value=werte.get("gueltig_bis"), min_value=_ALT, format="DD.MM.YYYY",
                       key=f"{schluessel}_bis", disabled=gesperrt)
    ergebnis = {"name": name.strip(), "art": art, "traeger_art": t_art, "traeger": traeger_name.strip() or None,
                "adresse": adresse.strip() or None, "zielgruppen": list(zielgruppen),
                "angebote": [z.strip() for z in angebote.splitlines() if z.strip()],
                "kapazitaet": int(kap) if kap is not None else None, "gueltig_von": von, "gueltig_bis": bis,
                "schliessgrund": werte.get("schliessgrund")}
    if bis is not None:
        ergebnis["schliessgrund"] = st.text_input("Grund der Schließung", value=werte.get("schliessgrund") or "",
                                                  key=f"{schluessel}_grund", disabled=gesperrt).strip() or None
    return ergebnis


def zielgruppen_der_art(art: str | None) -> list[str]:
    """Die Zielgruppen, die die Konfiguration einer Einrichtungsart zuordnet (leer ohne Art)."""
    return next((list(a.zielgruppen) for a in g.kommune().einrichtungsarten if a.schluessel == art), [])


def _zielgruppen_der_art(schluessel: str, art_vorher: str | None) -> None:
    """Beim Wechsel der Art die Zielgruppen vorbelegen – nur, wenn noch keine gewählt sind oder genau die der
    vorigen Art (eigene Auswahl bleibt)."""
    zg = f"{schluessel}_zg"
    art = st.session_state.get(f"{schluessel}_art")
    jetzt = list(st.session_state.get(zg) or [])
    vorher = st.session_state.get(f"{schluessel}_art_vorher", art_vorher)
    if not jetzt or sorted(jetzt) == sorted(zielgruppen_der_art(vorher)):
        st.session_state[zg] = zielgruppen_der_art(art)
    st.session_state[f"{schluessel}_art_vorher"] = art


def _dubletten_rueckfrage(schluessel: str) -> bool:
    """Zeigt eine gemerkte Dubletten-Warnung; True, wenn die Person „trotzdem speichern“ bestätigt."""
    w = st.session_state.get(DUBLETTE)
    if not w or w["schluessel"] != schluessel:
        return False
    st.warning(g.md(w["meldung"]), icon="⚠️")
    st.dataframe(pd.DataFrame(w["zeilen"]), hide_index=True)
    return st.checkbox("Es ist eine andere Einrichtung – trotzdem speichern", key=f"{schluessel}_trotz")


def _merke_dubletten(schluessel: str, w: DublettenWarnung) -> None:
    st.session_state[DUBLETTE] = {"schluessel": schluessel, "meldung": str(w), "zeilen": [
        {"Name": d.name, "Art": d.art, "Adresse": d.adresse or "", "Abstand (m)": d.abstand_m} for d in w.dubletten]}
    st.rerun()


def neu_anlegen() -> None:
    """Formular „Neue Einrichtung“: Lage per Karte, Koordinaten oder Adresse."""
    runde = st.session_state.setdefault("pflege_neu_runde", 0)
    schluessel = f"neu{runde}"
    punkt, adresse = lage.lage_eingabe(schluessel)
    werte = formular({}, schluessel, adresse_vorschlag=adresse)
    trotz = _dubletten_rueckfrage(schluessel)
    if not st.button("Einrichtung anlegen", type="primary", key=f"{schluessel}_anlegen"):
        return
    if punkt is None:
        st.error("Bitte zuerst die Lage angeben (Karte, Koordinaten oder Adresse).", icon="⚠️")
        return
    werte.pop("schliessgrund", None)
    try:
        e = dienste.ausfuehren(g.engine(), g.akteur(), de.lege_einrichtung_an, kommune=g.kommune(), punkt=punkt,
                               trotz_dublette=trotz, **werte)
    except DublettenWarnung as w:
        _merke_dubletten(schluessel, w)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
    else:
        st.session_state["pflege_neu_runde"] = runde + 1
        st.session_state[AUSWAHL] = e.id
        st.session_state[REITER_WUNSCH] = "Einrichtung bearbeiten"  # gleich weiterbearbeiten
        erfolg(f"„{e.name}“ wurde angelegt (Stand 1) und ist unter „Einrichtung bearbeiten“ geöffnet.")


def _lade(eid: int) -> dict[str, Any] | None:
    """Stand, den die Person bearbeitet (einmal geladen, bis sie speichert oder neu lädt)."""
    geladen = st.session_state.get(GELADEN)
    if geladen and geladen["id"] == eid:
        return geladen
    with sitzung(g.engine(), akteur=None) as s:
        geladen = de.bearbeitungsstand(s, eid)
    if geladen is None:
        return None
    st.session_state[GELADEN] = geladen
    return geladen


def neu_laden() -> None:
    st.session_state.pop(GELADEN, None)


def _aenderungen(geladen: dict[str, Any], werte: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in werte.items() if v != geladen["werte"].get(k)}


def bearbeiten(eintraege: pd.DataFrame) -> None:
    """Einen Eintrag wählen und bearbeiten; ohne Recht (anderer Sozialraum) nur lesen."""
    if eintraege.empty:
        st.info("Keine Einrichtungen in diesem Bereich.")
        return
    ids = [int(i) for i in eintraege["id"]]
    namen = dict(zip(ids, eintraege["anzeige"], strict=True))
    gewuenscht = st.session_state.pop(AUSWAHL, None)  # z. B. gerade angelegt oder „Korrigieren“ auf der Startseite
    if gewuenscht in ids:
        st.session_state["pflege_wahl"] = gewuenscht
    eid = st.selectbox("Einrichtung", ids, format_func=namen.get, key="pflege_wahl", placeholder="Bitte wählen …")
    geladen = _lade(int(eid))
    if geladen is None:
        st.warning("Diese Einrichtung gibt es nicht mehr. Bitte eine andere wählen.")
        return
    akteur = g.akteur()
    darf = akteur is not None and darf_schreiben(akteur, "einrichtung", geladen["sozialraum_id"])
    if not darf:
        st.info(f"Nur lesen: „{g.md(geladen['name'])}“ liegt im Sozialraum {g.md(geladen['sozialraum'])}; Sie können "
                "diesen "
                "Eintrag nicht ändern.")
    st.caption(f"Stand {g.md(geladen['version'])} · zuletzt bestätigt: {geladen['bestaetigt_am']:%d.%m.%Y}"
               if geladen["bestaetigt_am"] else f"Stand {g.md(geladen['version'])}")
    if verlauf.zeige_konflikt(geladen["id"], neu_laden=neu_laden, nach_erfolg=erfolg):
        return
    schluessel = f"e{geladen['id']}v{geladen['version']}"
    werte = formular(geladen["werte"], schluessel, gesperrt=not darf)
    trotz = _dubletten_rueckfrage(schluessel)
    if darf and st.button("Änderungen speichern", type="primary", key=f"{schluessel}_speichern"):
        aenderungen = _aenderungen(geladen, werte)
        if not aenderungen:
            st.info("Keine Änderung eingegeben.")
        else:
            _schreibe(geladen, aenderungen, schluessel, lambda: dienste.ausfuehren(
                g.engine(), akteur, de.aendere_einrichtung, einrichtung_id=geladen["id"], version=geladen["version"],
                kommune=g.kommune(), trotz_dublette=trotz, **aenderungen), "Änderungen gespeichert.")
    if darf:
        _weitere_aktionen(geladen, schluessel, trotz)
    # Schlüssel: Auf-/Zuklappen überlebt Neuläufe, auch wenn darüber Meldungen kommen und gehen
    with st.expander("Verlauf (wer hat wann was geändert)", key=f"verlauf_einrichtung_{geladen['id']}"):
        verlauf.zeige_verlauf("einrichtung", geladen["id"], geladen["version"], darf=darf, nach_erfolg=erfolg)


def _schreibe(geladen: dict[str, Any], aenderungen: dict[str, Any], schluessel: str, aufruf, text: str) -> None:  # noqa: ANN001
    try:
        aufruf()
    except KonfliktFehler as exc:
        verlauf.merke_konflikt(exc, geladen["id"], geladen["werte"], geladen["version"], aenderungen)
        st.rerun()
    except DublettenWarnung as w:
        _merke_dubletten(schluessel, w)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
    else:
        erfolg(text)


def _weitere_aktionen(geladen: dict[str, Any], schluessel: str, trotz: bool) -> None:
    eid, version, akteur = geladen["id"], geladen["version"], g.akteur()
    links, mitte, rechts = st.columns(3)
    if links.button("Stimmt noch (bestätigen)", key=f"{schluessel}_ok",
                    help="Setzt „zuletzt bestätigt“ auf heute, ohne etwas zu ändern."):
        _schreibe(geladen, {}, schluessel, lambda: dienste.ausfuehren(
            g.engine(), akteur, de.bestaetige_einrichtung, einrichtung_id=eid, version=version), "Eintrag bestätigt.")
    with mitte.popover("Verschieben …", key=f"{schluessel}_verschieben"):
        st.caption("Neue Lage; Stadtteil und Sozialraum werden aus der Geometrie neu bestimmt.")
        punkt, _adresse = lage.lage_eingabe(f"{schluessel}_lage")
        if st.button("Hierhin verschieben", key=f"{schluessel}_schieben", disabled=punkt is None):
            _schreibe(geladen, {"geometrie": punkt.wkt}, schluessel, lambda: dienste.ausfuehren(
                g.engine(), akteur, de.verschiebe_einrichtung, einrichtung_id=eid, version=version,
                kommune=g.kommune(), punkt=punkt,
                trotz_dublette=trotz), "Einrichtung verschoben.")
    if geladen["offen"]:
        with rechts.popover("Schließen …", key=f"{schluessel}_schliessen_dialog"):
            zum = st.date_input("geschlossen zum (letzter Tag)", value=date.today(), format="DD.MM.YYYY",
                                key=f"{schluessel}_zu", min_value=_ALT)
            grund = st.text_input("Grund (optional)", key=f"{schluessel}_zugrund")
            if st.button("Einrichtung schließen", key=f"{schluessel}_schliessen"):
                _schreibe(geladen, {}, schluessel, lambda: dienste.ausfuehren(
                    g.engine(), akteur, de.schliesse_einrichtung, einrichtung_id=eid, version=version, zum=zum,
                    grund=grund),
                    "Einrichtung geschlossen; sie bleibt für frühere Stichtage und im Verlauf erhalten.")
    elif rechts.button("Wieder öffnen", key=f"{schluessel}_oeffnen"):
        _schreibe(geladen, {}, schluessel, lambda: dienste.ausfuehren(
            g.engine(), akteur, de.oeffne_einrichtung, einrichtung_id=eid, version=version),
            "Einrichtung wieder geöffnet.")
    if politik.darf(akteur, "einrichtung_endgueltig_loeschen", "einrichtung_endgueltig_loeschen"):
        with st.expander("Endgültig löschen (nur Administration)", key=f"{schluessel}_loeschen_dialog"):
            sicher = st.checkbox("Ja, endgültig löschen – der Verlauf bleibt im Änderungsprotokoll",
                                 key=f"{schluessel}_sicher")
            if st.button("Löschen", key=f"{schluessel}_loeschen", disabled=not sicher):
                st.session_state.pop(AUSWAHL, None)
                _schreibe(geladen, {}, schluessel, lambda: dienste.ausfuehren(
                    g.engine(), akteur, de.loesche_einrichtung, einrichtung_id=eid, version=version),
                    "Einrichtung gelöscht.")
