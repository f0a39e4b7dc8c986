"""Einrichtungen als eine spaltenweise, wörterbuchkodierte Tabelle (EPSG:4326); je Art ein Bereich daraus.

Im Browser zeichnet `RK.Punkte` (karte/js/punkte.js) jede Art als Form mit zwei Kontrastringen
(karte/symbole.py) direkt auf eine Leinwand; Popups und Tooltips setzen die Texte als Textknoten.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from karte.legende import sichere_farbe
from karte.paket import Paket
from karte.symbole import FORMEN, ringe

TRAEGERARTEN = {"staedtisch": "städtisch", "frei": "frei"}
FELDER = [  # Schlüssel, Beschriftung im Popup, Trennzeichen für Listen (oder None)
    ("t", "Träger", None), ("ad", "Adresse", None), ("st", "Stadtteil", None), ("sr", "Sozialraum", None),
    ("an", "Angebote", "; "), ("z", "Zielgruppen", ", "), ("k", "Plätze", None), ("nw", "Netzwerke", ", "),
    ("gr", "Im Sozialraumgremium", None), ("gv", "Gültig", None),
]  # `gr` rechnet der Browser aus `g` (0/1)


def _datum(werte: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Datumsspalte → (Codes, Text je Code als TT.MM.JJJJ oder None)."""
    codes, eindeutig = pd.factorize(werte, use_na_sentinel=True)
    texte: list[str | None] = [v.strftime("%d.%m.%Y") if hasattr(v, "strftime") else str(v) for v in eindeutig]
    return codes, texte


def _gueltig_text(v: str | None, b: str | None) -> str:
    if v and b:
        return f"{v} bis {b}"
    return f"seit {v}" if v else (f"bis {b}" if b else "")


def _paare(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes zweier Spalten (−1 = fehlt) → (Code je Zeile, Index des ersten Vorkommens je Paar)."""
    zusammen = (a.astype(np.int64) + 1) * (nb + 1) + (b.astype(np.int64) + 1)
    eindeutig, erste, codes = np.unique(zusammen, return_index=True, return_inverse=True)
    return codes.reshape(-1), erste


def texte_als_liste(werte: Any) -> list[Any]:
    """Eindeutige Werte als Python-Liste von Texten (Arrow-Textspalten in einem Schritt statt Wert für Wert:
    bei 100.000 Namen der Unterschied zwischen Millisekunden und fast einer Sekunde)."""
    if pd.api.types.is_string_dtype(getattr(werte, "dtype", None)) and hasattr(werte, "to_numpy"):
        return werte.to_numpy(dtype=object, na_value=None).tolist()
    return [v if isinstance(v, str) else str(v) for v in np.asarray(werte, dtype=object).tolist()]


def _spalte(df: pd.DataFrame, spalte: str) -> pd.Series:
    return df[spalte] if spalte in df else pd.Series([None] * len(df), index=df.index, dtype=object)


class Einrichtungen:
    """Alle Einrichtungen einer Karte, nach Art sortiert, spaltenweise und wörterbuchkodiert (EPSG:4326).

    Jede Art-Ebene (`EinrichtungsArt`) ist ein zusammenhängender Bereich `[a, b)` dieser Tabelle.
    """

    def __init__(self, df: gpd.GeoDataFrame, *, arten_reihenfolge: list[str],
                 traegerarten: dict[str, str] | None = None) -> None:
        art = df["art"].astype(str).to_numpy(dtype=object) if "art" in df else np.array([""] * len(df), dtype=object)
        codes, eindeutig = pd.factorize(art)
        rang_je_code = np.array([arten_reihenfolge.index(a) if a in arten_reihenfolge else len(arten_reihenfolge)
                                 for a in eindeutig], dtype=np.int64)
        reihenfolge = np.argsort(rang_je_code[codes], kind="stable") if len(df) else np.arange(0)
        # Nicht die Tabelle umsortieren (Arrow-Textspalten kopieren teuer), sondern je Spalte die Codes.
        self.df, self.reihenfolge = df, reihenfolge
        self.art = art[reihenfolge]
        self.traegerarten = traegerarten or TRAEGERARTEN
        self.mit_gremium = "im_gremium" in df

    def bereich(self, schluessel: str) -> tuple[int, int]:
        treffer = np.flatnonzero(self.art == schluessel)
        return (int(treffer[0]), int(treffer[-1]) + 1) if treffer.size else (0, 0)

    def __len__(self) -> int:
        return len(self.df)

    def _codes(self, spalte: str) -> tuple[np.ndarray, list[Any]]:
        """Wörterbuchcodes (−1 = fehlt) der Spalte in Tabellenreihenfolge und die Werte je Code."""
        codes, eindeutig = pd.factorize(_spalte(self.df, spalte), use_na_sentinel=True)
        return codes[self.reihenfolge], texte_als_liste(eindeutig)

    def kodiere(self, paket: Paket, geteilt: dict[int, Any]) -> dict[str, Any]:
        df, r = self.df, self.reihenfolge
        xy = (np.column_stack([df.geometry.x.to_numpy()[r], df.geometry.y.to_numpy()[r]]) if len(df)
              else np.zeros((0, 2)))
        spalten: dict[str, Any] = {"xy": paket.koordinaten(xy)}
        for k, name in (("n", "name"), ("ad", "adresse"), ("st", "stadtteil"), ("sr", "sozialraum"),
                        ("an", "angebote"), ("z", "zielgruppen"), ("nw", "netzwerke")):
            codes, woerter = self._codes(name)
            woerter.append("")  # "" = fehlt
            spalten[k] = paket.texte_kodiert(np.where(codes < 0, len(woerter) - 1, codes), woerter)
        # Träger mit Trägerart: nur jedes vorkommende Paar einmal formatieren
        tc, tu = self._codes("traeger")
        ac, au = self._codes("traeger_art")
        codes, erste = _paare(tc, ac, len(tu), len(au))
        woerter = []
        for i in erste:
            t = str(tu[tc[i]]) if tc[i] >= 0 else ""
            a = str(au[ac[i]]) if ac[i] >= 0 else ""
            a = self.traegerarten.get(a, a)
            woerter.append(f"{t} ({a})" if t and a else (t or a))
        spalten["t"] = paket.texte_kodiert(codes, woerter)
        vc, vt = _datum(_spalte(df, "gueltig_von"))
        bc, bt = _datum(_spalte(df, "gueltig_bis"))
        vc, bc = vc[r], bc[r]
        codes, erste = _paare(vc, bc, len(vt), len(bt))
        spalten["gv"] = paket.texte_kodiert(codes, [_gueltig_text(vt[vc[i]] if vc[i] >= 0 else None,
                                                                  bt[bc[i]] if bc[i] >= 0 else None) for i in erste])
        kc, ku = pd.factorize(pd.to_numeric(_spalte(df, "kapazitaet"), errors="coerce"), use_na_sentinel=True)
        kc = kc[r]
        woerter = [f"{float(v):,.0f}".replace(",", ".") for v in ku] + [None]
        spalten["k"] = paket.texte_kodiert(np.where(kc < 0, len(ku), kc), woerter)
        gremium = (df["im_gremium"].fillna(False).astype(bool).to_numpy()[r] if self.mit_gremium
                   else np.zeros(len(df)))
        spalten["g"] = paket.zahlen(gremium.astype(np.uint8))
        return {"spalten": spalten, "mitGremium": self.mit_gremium}


class EinrichtungsArt:
    """Eine Art-Ebene: Bereich der gemeinsamen `Einrichtungen`-Tabelle, Bezeichnung, Farbe und Form."""

    def __init__(self, tabelle: Einrichtungen, schluessel: str, *, bezeichnung: str, farbe: str,
                 form: str = "kreis", loch: bool = False) -> None:
        if form not in FORMEN:
            raise ValueError(f"unbekannte Form {form!r}")
        self.tabelle = tabelle
        self.a, self.b = tabelle.bereich(schluessel)
        self.bez = bezeichnung
        self.farbe = sichere_farbe(farbe)
        self.form, self.loch = form, loch

    def __len__(self) -> int:
        return self.b - self.a

    def kodiere(self, paket: Paket, geteilt: dict[int, Any]) -> dict[str, Any]:
        schluessel = f"t{id(self.tabelle)}"
        if id(self.tabelle) not in geteilt:
            geteilt[id(self.tabelle)] = schluessel
            geteilt.setdefault("tabellen", {})[schluessel] = self.tabelle.kodiere(paket, geteilt)
        innen, aussen = ringe(self.farbe)
        return {"bez": self.bez, "farbe": self.farbe, "innen": innen, "aussen": aussen, "form": FORMEN[self.form],
                "loch": self.loch, "felder": [list(f) for f in FELDER], "tab": schluessel, "a": self.a, "b": self.b}
