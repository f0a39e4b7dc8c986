"""Sitzungen-Seite, Teil „Absage“: die Teamleitung ASD sagt eine geplante oder eingeladene Sitzung ab und lädt die
Absage als Kalenderdatei (METHOD:CANCEL, dieselbe UID, höhere SEQUENCE) herunter. Eine abgesagte Sitzung bietet
nur noch die Absage zum Herunterladen an (für alle, die die Sitzung sehen)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from daten import werte
from daten.dienste import sitzungen as dienst
from daten.gremium.einladung import Einladung, absage_ics
from seiten import _gremium as gr
from seiten import gemeinsam as g

ABSAGBAR = ("geplant", "eingeladen")  # wie daten.gremium.regeln: nur, was noch nicht stattgefunden hat


def absage(sz: Any, darf: bool) -> None:
    """Absage-Knopf (nur Teamleitung des Sozialraums) bzw. Download der Absage einer abgesagten Sitzung.

    `sz`: die Zeile der gewählten Sitzung aus `dienst.sitzungen` (id, status, version, datum)."""
    sid = int(sz["id"])
    if sz["status"] == werte.SITZUNG_ABGESAGT:
        e = gr.lesen(lambda s: Einladung.aus_sitzung(dienst.lade_sitzung(s, sid), absender=g.einstellungen()
                                                     .smtp_absender))
        st.info(f"Diese Sitzung ist abgesagt{': ' + g.md(e.absage_grund) if e.absage_grund else ''}.")
        st.download_button("Absage als Kalenderdatei (.ics)", absage_ics(e, g.kommune()),
                           file_name=f"absage-{e.datum:%Y-%m-%d}.ics", mime="text/calendar", key=f"absage_ics_{sid}")
        return
    if not darf or sz["status"] not in ABSAGBAR:
        return
    with st.form(f"absage_{sid}"):
        st.markdown("**Sitzung absagen (Teamleitung ASD)**")
        grund = st.text_input("Grund der Absage (steht in der Absage an die Eingeladenen)")
        if st.form_submit_button("Sitzung absagen"):
            version = int(sz["version"])
            gr.schreibe(lambda s, a: dienst.sitzung_absagen(s, a, sitzung_id=sid, grund=grund, version=version),
                        "Sitzung abgesagt. Bitte die Absage (.ics) herunterladen und an die Eingeladenen senden.")
