"""Statische Prüfung (AST): Text, den Streamlit als Markdown zeigt, enthält gespeicherte Werte nur maskiert.

Streamlit wertet Markdown aus in `st.markdown/write/caption/info/warning/error/success/toast/title/header/
subheader`, in Beschriftungen (`label`) und Hilfetexten (`help`) aller Eingabeelemente, in `expander`, `popover`,
`tabs`, `metric` und in den Optionen von `radio`, `pills`, `segmented_control` (`format_func`, `captions`).

Gesucht wird an diesen Stellen jeder Teil eines zusammengesetzten Texts (f-String, `+`, `%`, `.format`,
`"…".join`), der nicht sicher ist, und jeder Wert, der direkt ein gespeichertes Feld ist (`e.name`, `z["text"]`).
Sicher sind: feste Texte, die Maskierung `md(…)` (seiten/gemeinsam.py), Zahlen- und Datumshilfen (`zahl`, `euro`,
`datum`, `eur`, `len`, `int`, …), Platzhalter mit Zahlen- oder Datumsformat (`{x:.1f}`, `{n:d}`, `{d:%d.%m.%Y}` –
ein Text ließe sich so nicht formatieren), Namen, denen in derselben Funktion (oder auf Modulebene) nur Sicheres
zugewiesen wird, Konstanten in GROSSBUCHSTABEN (Beschriftungen im Code: `STATUS[k]`, `dienst.STATUS_TEXT.get`,
`for d in DATEIEN: d.titel`), Tabellen, die in der Funktion nur Sicheres bekommen, und Aufrufe von Funktionen
desselben Moduls, die nur Sicheres zurückgeben. Schleifen über anderes melden die Quelle der Schleife.

Grenze: ein bloßer Parameter als ganzes Argument (`st.success(erfolg)`) gilt als Sache des Aufrufers; wo eine Hilfe
der Seiten Text weiterreicht, steht sie in WEITERREICHEN (`gr.schreibe(aktion, erfolg)`), oder sie maskiert selbst
(`gr.meldung` die Hinweise der Dienste, `g.zeige_fehler`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

# Aufrufe, deren erstes Argument (Text oder Beschriftung) Markdown ist; `write` wertet jedes Argument aus
TEXT = {"markdown", "write", "caption", "info", "warning", "error", "success", "toast", "title", "header",
        "subheader", "expander", "popover", "tabs", "metric"}
WIDGETS = {"button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input", "text_area",
           "number_input", "slider", "select_slider", "date_input", "time_input", "download_button", "link_button",
           "page_link", "form_submit_button", "file_uploader", "color_picker", "pills", "segmented_control",
           "chat_input", "feedback", "audio_input", "camera_input", "data_editor"}
FORTSCHRITT = {"progress", "spinner"}  # Text als Schlüsselwort `text` bzw. erstes Argument (spinner)
OPTIONEN_MARKDOWN = {"radio", "pills", "segmented_control"}  # auch die Optionen sind Markdown
SCHLUESSELWORTE = {"body", "label", "help"}
# Hilfen der Seiten, die einen Text als Markdown weiterreichen: Name → (Stelle, Schlüsselwort)
WEITERREICHEN = {"schreibe": (1, "erfolg")}  # seiten/_gremium.schreibe → st.success(erfolg)
# Empfänger, deren gleichnamige Methoden nichts mit Streamlit zu tun haben
FREMDE_EMPFAENGER = re.compile(r"^(log|logger|logging|_log|protokoll_log|datei|f|fh|puffer|buf|out|sys)$")

MASKIERUNG = "md"
# `hervorgehoben` (seiten/_gremium.py) maskiert jeden Teil mit md; `token_hex` liefert Hexziffern
SICHERE_HILFEN = {MASKIERUNG, "zahl", "euro", "datum", "eur", "len", "int", "float", "round", "abs", "bool",
                  "stufe_text", "hervorgehoben", "token_hex"}
TEXTMETHODEN = {"upper", "lower", "strip", "title", "capitalize"}  # auf Sicherem bleibt es sicher
_KONSTANTE = re.compile(r"^_?[A-Z][A-Z0-9_]*$")


def _textformat(spec: str) -> bool:
    """Ließe sich mit dieser Angabe auch ein Text formatieren? (`>10`, `s` ja; `.1f`, `d`, `,`, `%d.%m.%Y` nein)"""
    try:
        format("", spec)
    except (ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class Befund:
    datei: str
    zeile: int
    aufruf: str
    ausdruck: str

    def __str__(self) -> str:
        return f"{self.datei}:{self.zeile}: {self.aufruf}(…): {self.ausdruck} – bitte über g.md(…) maskieren"


class _Modul:
    """Zuweisungen je Funktion und auf Modulebene, Rückgabewerte der Funktionen des Moduls."""

    def __init__(self, baum: ast.Module) -> None:
        self.baum = baum
        self.eltern: dict[ast.AST, ast.AST] = {}
        for knoten in ast.walk(baum):
            for kind in ast.iter_child_nodes(knoten):
                self.eltern[kind] = knoten
        self.funktionen = {f.name: f for f in baum.body if isinstance(f, ast.FunctionDef)}
        self._in_arbeit: set[int] = set()

    def bereich(self, knoten: ast.AST) -> ast.AST:
        while knoten in self.eltern:
            knoten = self.eltern[knoten]
            if isinstance(knoten, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return knoten
        return self.baum

    @staticmethod
    def _eigene_knoten(bereich: ast.AST):  # noqa: ANN205
        """Knoten des Bereichs ohne verschachtelte Funktionen."""
        stapel = list(ast.iter_child_nodes(bereich))
        while stapel:
            k = stapel.pop()
            yield k
            if not isinstance(k, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
                stapel.extend(ast.iter_child_nodes(k))

    def bindungen(self, name: str, bereich: ast.AST) -> list[ast.AST] | None:
        """Zugewiesene Ausdrücke; ein Element None = unbekannt (Parameter, Schleife, with, import …);
        None = der Name ist hier nicht gebunden."""
        werte: list[ast.AST] = []
        if isinstance(bereich, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            a = bereich.args
            if name in {p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if p}:
                werte.append(None)
        for k in self._eigene_knoten(bereich):
            if isinstance(k, ast.Assign):
                for ziel in k.targets:
                    if isinstance(ziel, ast.Name) and ziel.id == name:
                        werte.append(k.value)
                    elif isinstance(ziel, ast.Tuple | ast.List | ast.Starred) and any(
                            isinstance(n, ast.Name) and n.id == name for n in ast.walk(ziel)):
                        werte.append(None)  # Entpacken: unbekannt (name[…] = … prüft _eintraege)
            elif isinstance(k, ast.AnnAssign | ast.AugAssign | ast.NamedExpr) and isinstance(k.target, ast.Name) \
                    and k.target.id == name and k.value is not None:
                werte.append(k.value)
            elif isinstance(k, ast.For | ast.comprehension) and any(
                    isinstance(n, ast.Name) and n.id == name for n in ast.walk(k.target)):
                # über Festes: sicher; sonst steht die Quelle selbst für den Wert (Befund zeigt auf die Schleife)
                werte.append(ast.Constant("") if self._schleife_sicher(k.target, k.iter, name) else k.iter)
            elif isinstance(k, ast.With):
                for w in k.items:
                    if w.optional_vars is not None and any(
                            isinstance(n, ast.Name) and n.id == name for n in ast.walk(w.optional_vars)):
                        werte.append(None)
            elif isinstance(k, ast.Import | ast.ImportFrom):
                if any((al.asname or al.name.split(".")[0]) == name for al in k.names):
                    werte.append(None)
            elif isinstance(k, ast.FunctionDef | ast.ClassDef | ast.ExceptHandler) and k.name == name:
                werte.append(None)
        return werte or None

    def _schleife_sicher(self, ziel: ast.AST, quelle: ast.AST, name: str) -> bool:
        """Läuft `name` in `for ziel in quelle` nur über Festes (Tabellen im Code, Zahlen)?"""
        if isinstance(ziel, ast.Tuple) and isinstance(quelle, ast.Call) and isinstance(quelle.func, ast.Name):
            teile = [i for i, t in enumerate(ziel.elts) if any(isinstance(n, ast.Name) and n.id == name
                                                               for n in ast.walk(t))]
            if quelle.func.id == "enumerate" and len(ziel.elts) == 2 and teile and quelle.args:
                return teile[0] == 0 or self._schleife_sicher(ziel.elts[1], quelle.args[0], name)
            if quelle.func.id == "zip" and len(ziel.elts) == len(quelle.args) and teile:
                return self._schleife_sicher(ziel.elts[teile[0]], quelle.args[teile[0]], name)
        return self._feste_quelle(quelle)

    def _feste_quelle(self, q: ast.AST) -> bool:
        if isinstance(q, ast.List | ast.Tuple | ast.Set):
            return all(self.sicher(e) for e in q.elts)
        if isinstance(q, ast.Subscript):
            return self.feste_tabelle(q.value) or self._feste_quelle(q.value)
        if isinstance(q, ast.Call):
            f = q.func
            if isinstance(f, ast.Attribute) and f.attr in ("items", "keys", "values") and not q.args:
                return self._feste_quelle(f.value)
            if isinstance(f, ast.Name) and f.id == "range":
                return True
            if isinstance(f, ast.Name) and f.id in ("list", "tuple", "sorted", "reversed", "set") and q.args:
                return self._feste_quelle(q.args[0])
            return False
        return self.feste_tabelle(q)

    def aufloesen(self, name: str, knoten: ast.AST) -> list[ast.AST] | None:
        bereich = self.bereich(knoten)
        while True:
            werte = self.bindungen(name, bereich)
            if werte is not None or bereich is self.baum:
                return werte
            bereich = self.bereich(bereich)

    def feste_tabelle(self, ausdruck: ast.AST) -> bool:
        """Tabelle (dict/list/tuple) mit nur sicheren Werten: im Bereich mit festem Inhalt zugewiesen, oder eine
        Konstante in GROSSBUCHSTABEN (`STATUS`, `dienst.STATUS_TEXT`): Beschriftungen im Code, keine Daten."""
        if isinstance(ausdruck, ast.Attribute):
            return _KONSTANTE.match(ausdruck.attr) is not None
        if not isinstance(ausdruck, ast.Name):
            return False
        if _KONSTANTE.match(ausdruck.id):
            return True
        werte = self.aufloesen(ausdruck.id, ausdruck)
        eintraege = self._eintraege(ausdruck.id, self.bereich(ausdruck))
        if not werte or None in werte or eintraege is None:
            return False
        if not all(self.sicher(e) for e in eintraege):
            return False
        for w in werte:
            if isinstance(w, ast.Dict):
                teile = w.values
            elif isinstance(w, ast.List | ast.Tuple):
                teile = w.elts
            else:
                return False
            if not all(self.sicher(t) for t in teile):
                return False
        return True

    def _eintraege(self, name: str, bereich: ast.AST) -> list[ast.AST] | None:
        """Werte, die `name[…] = wert` später in die Tabelle schreibt; None: unbekannt (update, append …)."""
        werte: list[ast.AST] = []
        for k in self._eigene_knoten(bereich):
            if isinstance(k, ast.Assign | ast.AugAssign | ast.AnnAssign):
                for ziel in k.targets if isinstance(k, ast.Assign) else [k.target]:
                    if isinstance(ziel, ast.Subscript) and isinstance(ziel.value, ast.Name) and ziel.value.id == name:
                        werte.append(k.value)
            elif isinstance(k, ast.Call) and isinstance(k.func, ast.Attribute) and isinstance(k.func.value, ast.Name) \
                    and k.func.value.id == name and k.func.attr in ("update", "setdefault", "append", "extend",
                                                                    "insert", "__setitem__"):
                return None
        return werte

    def funktion_sicher(self, name: str) -> bool:
        f = self.funktionen.get(name)
        if f is None or id(f) in self._in_arbeit:
            return False
        self._in_arbeit.add(id(f))
        try:
            rueckgaben = [k.value for k in self._eigene_knoten(f) if isinstance(k, ast.Return)]
            return bool(rueckgaben) and all(r is not None and self.sicher(r) for r in rueckgaben)
        finally:
            self._in_arbeit.discard(id(f))

    def sicher(self, a: ast.AST) -> bool:
        return not self.unsicher(a, oben=False)

    def unsicher(self, a: ast.AST, *, oben: bool) -> list[ast.AST]:
        """Die unsicheren Teile von `a`. `oben`: `a` ist das ganze Argument (ein bloßer Parameter zählt nicht)."""
        if isinstance(a, ast.Constant):
            return []
        if isinstance(a, ast.JoinedStr):
            teile = []
            for v in a.values:
                if isinstance(v, ast.FormattedValue):
                    spec = v.format_spec
                    fest = isinstance(spec, ast.JoinedStr) and all(isinstance(s, ast.Constant) for s in spec.values)
                    zahlformat = fest and not _textformat("".join(str(s.value) for s in spec.values))
                    if not (zahlformat and v.conversion == -1):
                        teile += self.unsicher(v.value, oben=False)
            return teile
        if isinstance(a, ast.BinOp):
            if isinstance(a.op, ast.Sub | ast.Div | ast.FloorDiv | ast.Pow):
                return []  # nur für Zahlen definiert
            rechts = a.right.elts if isinstance(a.op, ast.Mod) and isinstance(a.right, ast.Tuple) else [a.right]
            return self.unsicher(a.left, oben=False) + [t for r in rechts for t in self.unsicher(r, oben=False)]
        if isinstance(a, ast.IfExp):
            return self.unsicher(a.body, oben=oben) + self.unsicher(a.orelse, oben=oben)
        if isinstance(a, ast.BoolOp):
            return [t for w in a.values for t in self.unsicher(w, oben=oben)]
        if isinstance(a, ast.Compare) or (isinstance(a, ast.UnaryOp) and isinstance(a.op, ast.Not)):
            return []
        if isinstance(a, ast.UnaryOp):
            return self.unsicher(a.operand, oben=oben)
        if isinstance(a, ast.List | ast.Tuple | ast.Set):
            return [t for e in a.elts for t in self.unsicher(e, oben=oben)]
        if isinstance(a, ast.Lambda):
            return self.unsicher(a.body, oben=False)
        if isinstance(a, ast.GeneratorExp | ast.ListComp | ast.SetComp):
            return self.unsicher(a.elt, oben=False)
        if isinstance(a, ast.Starred):
            return self.unsicher(a.value, oben=oben)
        if isinstance(a, ast.Call):
            return self._aufruf(a)
        if isinstance(a, ast.Name | ast.Attribute) and self.feste_tabelle(a):
            return []  # Konstante im Code (GROSSBUCHSTABEN) oder feste Tabelle
        if isinstance(a, ast.Name):
            if a.id in SICHERE_HILFEN:  # als Funktion übergeben (format_func=g.md, map(md, …))
                return []
            werte = self.aufloesen(a.id, a)
            if werte is None or id(a) in self._in_arbeit:
                return [] if oben else [a]
            self._in_arbeit.add(id(a))
            try:
                if None in werte:  # Parameter, Schleifenvariable …
                    return [] if oben else [a]
                return [t for w in werte for t in self.unsicher(w, oben=False)]
            finally:
                self._in_arbeit.discard(id(a))
        if isinstance(a, ast.Subscript):
            return [] if self.feste_tabelle(a.value) else [a]
        if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id not in SICHERE_HILFEN \
                and self.aufloesen(a.value.id, a.value) and self.sicher(a.value):
            return []  # Feld eines Festen, z. B. `for d in DATEIEN: … d.titel`
        if isinstance(a, ast.Attribute) and (a.attr in SICHERE_HILFEN
                                             or a.attr == "get" and self.feste_tabelle(a.value)):
            return []  # als Funktion übergeben: format_func=g.md, map(g.md, …), format_func=STATUS.get
        return [a]  # Attribut (e.name), sonstiges: gespeicherter Wert

    def _aufruf(self, a: ast.Call) -> list[ast.AST]:
        f = a.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        if name in SICHERE_HILFEN:
            return []
        if isinstance(f, ast.Attribute) and name == "join" and isinstance(f.value, ast.Constant) and a.args:
            return self.unsicher(a.args[0], oben=False)
        if isinstance(f, ast.Attribute) and name == "format" and isinstance(f.value, ast.Constant):
            return [t for x in [*a.args, *(k.value for k in a.keywords)] for t in self.unsicher(x, oben=False)]
        if name == "map" and len(a.args) == 2:
            return self.unsicher(a.args[0], oben=False)
        if isinstance(f, ast.Attribute) and name == "get" and self.feste_tabelle(f.value):
            return [t for x in a.args[1:] for t in self.unsicher(x, oben=False)]
        if isinstance(f, ast.Name) and self.funktion_sicher(f.id):
            return []
        if isinstance(f, ast.Attribute) and f.attr in TEXTMETHODEN and not a.args:
            return self.unsicher(f.value, oben=False)
        return [a]


def _aufrufname(aufruf: ast.Call) -> str | None:
    f = aufruf.func
    if isinstance(f, ast.IfExp):  # (st.success if ok else st.warning)(text)
        f = f.body
        while isinstance(f, ast.IfExp):
            f = f.body
    if not isinstance(f, ast.Attribute):
        return None
    ziel = f.value
    if isinstance(ziel, ast.Name) and FREMDE_EMPFAENGER.match(ziel.id):
        return None
    if isinstance(ziel, ast.Constant):  # "text".title()
        return None
    if isinstance(ziel, ast.Name) and ziel.id in ("str", "re", "pd", "np", "shutil", "os", "Path"):
        return None
    return f.attr if f.attr in TEXT | WIDGETS | FORTSCHRITT else None


def markdown_argumente(aufruf: ast.Call) -> list[ast.AST]:
    """Die Argumente von `aufruf`, die Streamlit als Markdown zeigt (leer: kein Markdown-Aufruf)."""
    f = aufruf.func
    hilfe = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
    if hilfe in WEITERREICHEN:
        stelle, wort = WEITERREICHEN[hilfe]
        return list(aufruf.args[stelle:stelle + 1]) + [k.value for k in aufruf.keywords if k.arg == wort]
    name = _aufrufname(aufruf)
    if name is None:
        return []
    if name == "progress":
        return list(aufruf.args[1:2]) + [k.value for k in aufruf.keywords if k.arg == "text"]
    if name == "metric":  # Beschriftung, Wert und Änderung sind Markdown
        worte = ("label", "value", "delta", "help")
        return list(aufruf.args[:3]) + [k.value for k in aufruf.keywords if k.arg in worte]
    argumente = list(aufruf.args) if name == "write" else list(aufruf.args[:1])
    schluessel = SCHLUESSELWORTE | ({"format_func", "captions", "options"} if name in OPTIONEN_MARKDOWN else set())
    argumente += [k.value for k in aufruf.keywords if k.arg in schluessel]
    return argumente


def pruefe_quelltext(quelltext: str, datei: str = "<text>") -> list[Befund]:
    baum = ast.parse(quelltext)
    modul = _Modul(baum)
    befunde = []
    for knoten in ast.walk(baum):
        if not isinstance(knoten, ast.Call):
            continue
        for arg in markdown_argumente(knoten):
            for teil in modul.unsicher(arg, oben=True):
                aufruf = _aufrufname(knoten) or ast.unparse(knoten.func).rsplit(".", 1)[-1]
                befunde.append(Befund(datei, getattr(teil, "lineno", knoten.lineno), aufruf,
                                      ast.unparse(teil)[:100]))
    return sorted(set(befunde), key=lambda b: (b.datei, b.zeile, b.ausdruck))


def pruefe_dateien(wurzel: Path) -> list[Befund]:
    dateien = sorted((wurzel / "seiten").glob("*.py")) + [wurzel / "streamlit_app.py"]
    return [b for d in dateien for b in pruefe_quelltext(d.read_text(encoding="utf-8"), str(d.relative_to(wurzel)))]
