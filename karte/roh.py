"""Rendern ohne zweiten Jinja-Durchlauf – für jedes Element der Karte.

branca steckt die Ausgabe eines Makros (`script`, `header`, `html`) in ein neues `Element`, dessen
Text erneut als Jinja-Vorlage übersetzt wird. Stünden darin Daten (Namen, Ebenentitel, Angebote),
würde `{{ 7*7 }}` zu „49“, `{{ lipsum.__globals__… }}` führte Code aus und `{%` bräche jede Ausgabe.
Deshalb rendern alle Elemente unserer Karten über `RohRendern`: Makro-Ausgaben werden als fertiger
Text übernommen. `pruefe_roh` verweigert Karten mit einem anderen Element, `teile` sammelt die
Makro-Ausgaben ohne Figure (für `karte.export.html_text`, wiederholbar und ohne Zustand).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from branca.element import Element, Figure


class RohesElement(Element):
    """Fertiger Text, der beim Rendern nicht mehr als Vorlage ausgewertet wird."""

    def __init__(self, text: str) -> None:
        # ohne Vorlage: branca übersetzte sonst für jedes Element eine (leere) Jinja-Vorlage – bei jedem Zeichnen
        # der klickbaren Karte einige hundert Mal (Pflege, Protokoll: ein Viertel der Laufzeit je Neulauf)
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def _makros(element: Any) -> dict[str, Any]:
    return element._template.module.__dict__


class RohRendern:
    """Mixin für MacroElemente: Makro-Ausgaben als `RohesElement` in die Figure einhängen."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()  # type: ignore[attr-defined]
        if not isinstance(figure, Figure):
            raise TypeError("Element ist nicht Teil einer Figure")
        makros = _makros(self)
        for teil in ("header", "html", "script"):
            makro = makros.get(teil)
            if makro is not None:
                getattr(figure, teil).add_child(RohesElement(makro(self, kwargs)), name=self.get_name())  # type: ignore[attr-defined]
        for kind in self._children.values():  # type: ignore[attr-defined]
            kind.render(**kwargs)


def elemente(wurzel: Any) -> Iterator[Any]:
    """Alle Elemente des Baums, Eltern vor Kindern, in der Reihenfolge des Hinzufügens."""
    yield wurzel
    for kind in getattr(wurzel, "_children", {}).values():
        yield from elemente(kind)


def pruefe_roh(wurzel: Any) -> None:
    """Wirft TypeError, wenn ein Element der Karte seine Ausgabe noch einmal durch Jinja schicken würde."""
    fremd = sorted({type(e).__name__ for e in elemente(wurzel) if not isinstance(e, RohRendern)})
    if fremd:
        raise TypeError(f"Kartenelemente ohne RohRendern (Ausgabe liefe erneut durch Jinja): {', '.join(fremd)}")


def teile(wurzel: Any) -> dict[str, list[str]]:
    """Makro-Ausgaben aller Elemente: {"header": [...], "html": [...], "script": [...]} (ohne Figure)."""
    pruefe_roh(wurzel)
    aus: dict[str, list[str]] = {"header": [], "html": [], "script": []}
    for e in elemente(wurzel):
        makros = _makros(e)
        for teil, liste in aus.items():
            makro = makros.get(teil)
            if makro is not None:
                liste.append(str(makro(e, {})))
    return aus
