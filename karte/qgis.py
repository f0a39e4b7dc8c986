"""QGIS-Stile (QML) für die Ebenen des GeoPackage-Exports – dieselben Farben und Formen wie die Karte im Dashboard.

Einrichtungen: je Art die Farbe der Konfiguration und die Form aus `karte.symbole.symbol_fuer` (ab der neunten Art
mit Loch), mit den Ringen aus `karte.symbole.ringe`; wer im Gremium sitzt, ist umkreist (wie in der Legende
„umkreist: im Sozialraumgremium“). Sozialräume und Stadtteile als Umrisse in den Linienfarben der Karte,
beschriftet; die Kennzahlen-Ebenen nach Bedarfsklasse in den Farben der Berichtskarte.
Geschrieben wird das `<prop k v>`-Format der Symbolebenen, das jede QGIS-3-Version liest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import quoteattr

from karte.berichtsbild import KLASSENFARBEN
from karte.symbole import ringe, symbol_fuer

QGIS_FORM = {"kreis": ("circle", 0), "quadrat": ("square", 0), "dreieck": ("triangle", 0),
             "raute": ("diamond", 0), "dreieck_unten": ("triangle", 180), "stern": ("star", 0),
             "kreuz": ("cross_fill", 0), "sechseck": ("hexagon", 0)}
SOZIALRAUM_LINIE = "#2c3e50"  # wie karte.flaechen.sozialraum_ebene
STADTTEIL_LINIE = "#6c7a89"  # wie karte.flaechen.stadtteil_ebene (gestrichelt)
GREMIUM_RING = "#222222"  # wie die Legende „umkreist: im Sozialraumgremium“
NETZ_FARBE = "#444444"


def _rgba(farbe: str, alpha: int = 255) -> str:
    return f"{int(farbe[1:3], 16)},{int(farbe[3:5], 16)},{int(farbe[5:7], 16)},{alpha}"


def _props(werte: Mapping[str, Any]) -> str:
    return "".join(f"<prop k={quoteattr(k)} v={quoteattr(str(v))}/>" for k, v in werte.items())


def _ebene(klasse: str, werte: Mapping[str, Any], *, nur_wenn: str = "") -> str:
    """Eine Symbolebene; `nur_wenn`: Feld, das die Ebene je Objekt ein- oder ausschaltet (datenbestimmt)."""
    dd = ""
    if nur_wenn:
        dd = ('<data_defined_properties><Option type="Map"><Option type="QString" name="name" value=""/>'
              '<Option type="Map" name="properties"><Option type="Map" name="enabled">'
              '<Option type="bool" name="active" value="true"/>'
              f'<Option type="QString" name="expression" value={quoteattr(chr(34) + nur_wenn + chr(34))}/>'
              '<Option type="int" name="type" value="3"/></Option></Option>'
              '<Option type="QString" name="type" value="collection"/></Option></data_defined_properties>')
    return f'<layer class="{klasse}" enabled="1" locked="0" pass="0">{_props(werte)}{dd}</layer>'


def _symbol(art: str, name: str, ebenen: list[str]) -> str:
    return f'<symbol type="{art}" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">{"".join(ebenen)}</symbol>'


def _marker(form: str, farbe: str, *, groesse: float, rand: str = "", randbreite: float = 0.0,
            winkel: float = 0) -> dict[str, Any]:
    return {"name": form, "color": _rgba(farbe), "outline_color": _rgba(rand or farbe, 255 if rand else 0),
            "outline_width": randbreite, "outline_width_unit": "MM", "outline_style": "solid" if rand else "no",
            "size": groesse, "size_unit": "MM", "angle": winkel, "joinstyle": "miter", "scale_method": "diameter"}


def einrichtungs_symbol(nummer: int, farbe: str, name: str) -> str:
    """Marker wie im Dashboard: äußerer Ring, Form in der Artfarbe mit innerem Ring, ggf. Loch, Gremiumsring."""
    form, loch = symbol_fuer(nummer)
    qform, winkel = QGIS_FORM.get(form, ("circle", 0))
    innen, aussen = ringe(farbe)
    ebenen = [
        _ebene("SimpleMarker", _marker("circle", "#ffffff", groesse=5.2, rand=GREMIUM_RING, randbreite=0.5)
               | {"color": "0,0,0,0"}, nur_wenn="im_gremium"),
        _ebene("SimpleMarker", _marker(qform, aussen, groesse=3.8, winkel=winkel)),
        _ebene("SimpleMarker", _marker(qform, farbe, groesse=3.2, rand=innen, randbreite=0.3, winkel=winkel)),
    ]
    if loch:
        ebenen.append(_ebene("SimpleMarker", _marker("circle", innen, groesse=1.1)))
    return _symbol("marker", name, ebenen)


def _linie(farbe: str, breite: float, *, gestrichelt: bool = False) -> str:
    return _ebene("SimpleLine", {"line_color": _rgba(farbe), "line_width": breite, "line_width_unit": "MM",
                                 "line_style": "dash" if gestrichelt else "solid", "capstyle": "round",
                                 "joinstyle": "round"})


def _flaeche(fuellung: str | None, rand: str, breite: float, *, gestrichelt: bool = False) -> str:
    return _ebene("SimpleFill", {"color": _rgba(fuellung, 180) if fuellung else "0,0,0,0",
                                 "style": "solid" if fuellung else "no", "outline_color": _rgba(rand),
                                 "outline_width": breite, "outline_width_unit": "MM",
                                 "outline_style": "dash" if gestrichelt else "solid", "joinstyle": "round"})


def _beschriftung(feld: str, *, groesse: float = 9, farbe: str = "#1a1a1a") -> str:
    return ('<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName={quoteattr(feld)} isExpression="0" fontSize="{groesse}" fontSizeUnit="Point" '
            f'textColor="{_rgba(farbe)}" fontFamily="Sans Serif" namedStyle="Bold" fontWeight="75" textOpacity="1">'
            '<text-buffer bufferDraw="1" bufferSize="1" bufferSizeUnits="MM" bufferColor="255,255,255,255" '
            'bufferOpacity="0.9"/></text-style><placement placement="1" dist="0" priority="5"/>'
            '<rendering obstacle="1" displayAll="0" limitNumLabels="0"/></settings></labeling>')


def _qml(renderer: str, *, aliase: Mapping[str, str], beschriftung: str = "") -> str:
    felder = "".join(f"<alias field={quoteattr(f)} index=\"{i}\" name={quoteattr(a)}/>"
                     for i, (f, a) in enumerate(aliase.items()))
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            '<qgis version="3.28.0" styleCategories="Symbology|Labeling|Fields" '
            f'labelsEnabled="{int(bool(beschriftung))}">'
            f"{renderer}{beschriftung}<aliases>{felder}</aliases></qgis>")


def _einzeln(symbol: str) -> str:
    return ('<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
            f"<symbols>{symbol}</symbols></renderer-v2>")


def _kategorien(feld: str, kategorien: list[tuple[str, str]], symbole: list[str]) -> str:
    kat = "".join(f'<category render="true" value={quoteattr(w)} symbol="{i}" label={quoteattr(t)}/>'
                  for i, (w, t) in enumerate(kategorien))
    return (f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(feld)} symbollevels="0" enableorderby="0" '
            f'forceraster="0"><categories>{kat}</categories><symbols>{"".join(symbole)}</symbols></renderer-v2>')


def einrichtungen_qml(kommune: Any, *, aliase: Mapping[str, str]) -> str:
    """Kategorien nach Feld `art` (Schlüssel der Einrichtungsart), Beschriftung = Bezeichnung der Art."""
    arten = list(kommune.einrichtungsarten)
    symbole = [einrichtungs_symbol(i, a.farbe, str(i)) for i, a in enumerate(arten)]
    return _qml(_kategorien("art", [(a.schluessel, a.bezeichnung) for a in arten], symbole), aliase=aliase)


def sozialraeume_qml(*, aliase: Mapping[str, str]) -> str:
    return _qml(_einzeln(_symbol("fill", "0", [_flaeche(None, SOZIALRAUM_LINIE, 0.8)])), aliase=aliase,
                beschriftung=_beschriftung("name", groesse=10, farbe=SOZIALRAUM_LINIE))


def stadtteile_qml(*, aliase: Mapping[str, str]) -> str:
    return _qml(_einzeln(_symbol("fill", "0", [_flaeche(None, STADTTEIL_LINIE, 0.35, gestrichelt=True)])),
                aliase=aliase, beschriftung=_beschriftung("name", groesse=8, farbe="#3d4752"))


def kennzahlen_qml(*, aliase: Mapping[str, str], klassen: list[str]) -> str:
    """Flächen nach `bedarfsklasse` (gering → hoch) in den Farben der Berichtskarte, beschriftet mit dem Namen."""
    kat = [(k, f"Bedarf {k}") for k in klassen] + [("", "keine Angabe")]
    symbole = [_symbol("fill", str(i), [_flaeche(KLASSENFARBEN.get(w or "keine Angabe", "#d9d9d9"), "#555555", 0.3)])
               for i, (w, _) in enumerate(kat)]
    return _qml(_kategorien("bedarfsklasse", kat, symbole), aliase=aliase, beschriftung=_beschriftung("name"))


def netzwerke_qml(*, aliase: Mapping[str, str]) -> str:
    return _qml(_einzeln(_symbol("marker", "0", [_ebene("SimpleMarker", _marker("circle", NETZ_FARBE, groesse=2.0))])),
                aliase=aliase)


def verbindungen_qml(*, aliase: Mapping[str, str], status: Mapping[str, str], geplant: str) -> str:
    """Linien nach `status` (Wert → Bezeichnung); Netzwerke, die erst entwickelt werden sollen (`geplant`),
    gestrichelt wie in der Karte."""
    kat = list(status.items())
    symbole = [_symbol("line", str(i), [_linie(NETZ_FARBE, 0.4, gestrichelt=w == geplant)])
               for i, (w, _) in enumerate(kat)]
    return _qml(_kategorien("status", kat, symbole), aliase=aliase)
