"""Kein englischer Platzhalter: jede Auswahlliste (selectbox, multiselect) hat einen deutschen `placeholder`.

Ohne ihn zeigt Streamlit „Choose an option“ (leere Wahl, index=None, Mehrfachauswahl) oder „No options to select“
(keine Optionen) – auf jeder Seite, sobald eine Liste leer ist. Geprüft wird statisch (AST) über alle Seiten.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parents[1]
AUSWAHL = {"selectbox", "multiselect"}


def ohne_platzhalter(quelltext: str, datei: str = "<text>") -> list[str]:
    """file:zeile jeder Auswahlliste ohne deutschen Platzhalter (fehlend, leer, nicht fest oder englisch)."""
    funde = []
    for n in ast.walk(ast.parse(quelltext)):
        if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in AUSWAHL):
            continue
        wert = next((k.value for k in n.keywords if k.arg == "placeholder"), None)
        text = wert.value if isinstance(wert, ast.Constant) else None
        if not isinstance(text, str) or not text.strip() or text.lower().startswith(("choose", "select", "no ")):
            funde.append(f"{datei}:{n.lineno}: {n.func.attr} ohne deutschen placeholder=")
    return funde


def test_jede_auswahlliste_hat_einen_deutschen_platzhalter():
    dateien = sorted((WURZEL / "seiten").glob("*.py")) + [WURZEL / "streamlit_app.py"]
    funde = [f for d in dateien for f in ohne_platzhalter(d.read_text(encoding="utf-8"), str(d.relative_to(WURZEL)))]
    assert not funde, "\n".join(funde)


@pytest.mark.parametrize("code, anzahl", [
    ("st.selectbox('Ort', orte)", 1),
    ("st.selectbox('Ort', orte, index=None)", 1),
    ("spalte.multiselect('Orte', orte, placeholder='')", 1),
    ("st.multiselect('Orte', orte, placeholder='Choose an option')", 1),
    ("st.selectbox('Ort', orte, placeholder=text)", 1),
    ("st.selectbox('Ort', orte, placeholder='Bitte wählen …')", 0),
    ("st.sidebar.multiselect('Orte', orte, placeholder='keine')", 0),
    ("st.radio('Ort', orte)", 0),
])
def test_pruefung_der_platzhalter(code, anzahl):
    assert len(ohne_platzhalter(textwrap.dedent(code))) == anzahl
