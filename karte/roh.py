"""Rendern ohne zweiten Jinja-Durchlauf.

branca steckt die Ausgabe eines Makros (`script`, `header`, `html`) in ein neues `Element`, dessen
Text erneut als Jinja-Vorlage übersetzt wird. Stehen Daten darin (Namen, Angebote), würde
`{{ 7*7 }}` in einem Einrichtungsnamen zu „49“ und `{%` zu einem Absturz – und das Übersetzen von
Megabytes an JSON kostet Zeit. Diese Elemente geben ihren Text unverändert aus.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure


class RohesElement(Element):
    """Fertiger Text, der beim Rendern nicht mehr als Vorlage ausgewertet wird."""

    def __init__(self, text: str) -> None:
        super().__init__("")
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RohRendern:
    """Mixin für MacroElemente: Makro-Ausgaben als `RohesElement` in die Figure einhängen."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()  # type: ignore[attr-defined]
        if not isinstance(figure, Figure):
            raise TypeError("Element ist nicht Teil einer Figure")
        makros = self._template.module.__dict__  # type: ignore[attr-defined]
        for teil in ("header", "html", "script"):
            makro = makros.get(teil)
            if makro is not None:
                getattr(figure, teil).add_child(RohesElement(makro(self, kwargs)), name=self.get_name())  # type: ignore[attr-defined]
        for kind in self._children.values():  # type: ignore[attr-defined]
            kind.render(**kwargs)
