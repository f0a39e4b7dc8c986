"""Karte zuerst: beim ersten Öffnen der Karte in einer Browsersitzung erscheint die Karte vor allem anderen.

Streamlit zeichnet jedes Element im Hauptfaden des Browsers; Filter, Anmeldeformular und Knöpfe laden dabei
eigenen Code nach. Beim ersten Öffnen verzögerte das die Karte um gut 0,3 s (bench/dashboard.py). Darum
schickt der erste Lauf nur Titel, Kopfzeile und Karte (dazu die Navigation) und ein kleines Element ohne
Anzeige, das meldet, sobald die Karte gezeichnet ist (spätestens nach 2,5 s). Diese Meldung startet den
zweiten Lauf mit der ganzen Seite: Filter, Downloads, Tabellen, Anmeldung. Danach gilt das für die Sitzung
nicht mehr; jeder weitere Lauf zeigt sofort alles.

Ohne Browser (AppTest, Skripte) meldet niemand die gezeichnete Karte: dann wird sofort alles gezeigt.
"""

from __future__ import annotations

import streamlit as st

from seiten import gemeinsam as g

VOLL = "karte_voll"  # Sitzungszustand: die Karte wurde in dieser Sitzung schon einmal ganz gezeigt
_LAUF = "_karte_vorlauf"

# Meldet einmal „bereit“, sobald im Karten-iframe Vektorinhalte stehen (Leinwand oder Pfade), spätestens
# nach 2,5 s – auch wenn die Karte nicht zeichnen konnte, erscheint so der Rest der Seite.
_JS = """
export default function (c) {
  const melde = c.setTriggerValue;
  let fertig = false;
  const bereit = () => { if (!fertig) { fertig = true; melde("bereit", true); } };
  const pruefe = () => {
    if (fertig) { return; }
    for (const f of document.querySelectorAll(".st-key-rkvoll_karte iframe")) {
      try {
        const d = f.contentDocument;
        if (d && d.querySelector(".leaflet-pane canvas, path.leaflet-interactive")) {
          requestAnimationFrame(() => setTimeout(bereit, 0));  /* erst nach dem ersten Bild */
          return;
        }
      } catch (e) { /* fremde Herkunft: nicht unsere Karte */ }
    }
    setTimeout(pruefe, 50);
  };
  pruefe();
  setTimeout(bereit, 2500);
  return () => { fertig = true; };
}
"""
_melder = st.components.v2.component("rk_karte_bereit", js=_JS)


def _im_browser() -> bool:
    try:
        return bool(st.context.headers.get("User-Agent"))
    except Exception:  # noqa: BLE001 - ohne Laufzeitkontext: kein Browser
        return False


def beginnen(karte_als_html: bool) -> bool:
    """True: dieser Lauf zeigt nur die Karte und lässt melden, wann sie steht; die Seite endet danach."""
    if not karte_als_html or st.session_state.get(VOLL) or not _im_browser():
        return False
    st.session_state[_LAUF] = g.laufkennung()
    _melder(key="rk_karte_bereit", on_bereit_change=_voll)
    return True


def _voll() -> None:
    st.session_state[VOLL] = True


def aktiv() -> bool:
    """Läuft gerade ein solcher erster Lauf? (Dann bleibt auch die Seitenleiste bis zur Meldung leer.)"""
    lauf = st.session_state.get(_LAUF)
    return lauf is not None and lauf is g.laufkennung()
