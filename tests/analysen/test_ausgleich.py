"""Ausgleichsbedarf und Ungleichheitsmaße auf Zahlen, die sich im Kopf nachrechnen lassen."""

import math

import pandas as pd
import pytest

from analysen.ausgleich import (
    ausgleichsbedarf,
    bivariate_klassen,
    gini,
    lorenzkurve,
    theil,
    versorgungsindex,
)


def test_gini_und_theil_grenzfaelle():
    assert gini([3, 3, 3]) == pytest.approx(0.0) and theil([3, 3, 3]) == pytest.approx(0.0)
    assert gini([0, 1]) == pytest.approx(0.5)  # Lorenzkurve (0,0) (½,0) (1,1)
    assert theil([0, 1]) == pytest.approx(math.log(2))  # Höchstwert ln(n)
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)


def test_gewichte_zaehlen():
    # Gebiet mit 3 Personen und Wert 1, Gebiet mit 1 Person und Wert 3: Angebot je Kopf gleich verteilt? nein
    ungewichtet = gini([1, 3])
    gewichtet = gini([1, 3], [3, 1])
    assert ungewichtet == pytest.approx(0.25)  # 1 − ((0+¼)·½ + (¼+1)·½)
    assert gewichtet == pytest.approx(1 - ((0 + 0.5) * 0.75 + (0.5 + 1) * 0.25))
    lk = lorenzkurve([1, 3], [3, 1])
    assert list(lk["anteil_bevoelkerung"]) == [0, 0.75, 1] and list(lk["anteil_angebot"]) == [0, 0.5, 1]
    with pytest.raises(ValueError):
        gini([-1, 2])


def test_versorgungsindex_und_ausgleichsbedarf():
    t = pd.DataFrame({"k1": [1.0, 2.0, 3.0], "k2": [3.0, 2.0, 1.0], "k3": [0.0, 0.0, 3.0]}, index=list("ABC"))
    vi = versorgungsindex(t, ["k1", "k3"])
    # z_k1 = [−1,22, 0, 1,22], z_k3 = [−0,71, −0,71, 1,41] → Mittel [−0,97, −0,35, 1,32] → erneut standardisiert
    assert vi["versorgungsindex"].idxmax() == "C" and vi["versorgungsindex"].mean() == pytest.approx(0, abs=1e-12)
    assert vi["versorgungsindex"].std(ddof=0) == pytest.approx(1)
    bedarf = pd.Series([1.0, 0.0, -1.0], index=list("ABC"))
    a = ausgleichsbedarf(bedarf, pd.Series([-1.0, 0.5, 1.0], index=list("ABC")))
    assert list(a["ausgleichsbedarf"]) == [2.0, -0.5, -2.0]
    assert list(a["rang_ausgleichsbedarf"]) == [1, 2, 3]


def test_bivariate_klassen():
    b = pd.Series([3.0, 2.0, 1.0], index=list("ABC"))
    v = pd.Series([1.0, 2.0, 3.0], index=list("ABC"))
    k = bivariate_klassen(b, v)
    assert list(k["bivariat"]) == ["B3V1", "B2V2", "B1V3"]
    assert k.loc["A", "bivariat_text"] == "Bedarf hoch, Versorgung niedrig"




def test_theil_gewichte_aendern_das_ergebnis():
    # x = [1, 3], Gewichte [3, 1]: μ = 1,5, Anteile am Angebot je ½ → T = ½·ln(1/1,5) + ½·ln(3/1,5) = ½·ln(4/3)
    assert theil([1, 3], [3, 1]) == pytest.approx(0.5 * math.log(4 / 3))
    # ungewichtet: μ = 2, Anteile ¼ und ¾ → T = ¼·ln(½) + ¾·ln(1,5)
    assert theil([1, 3]) == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))
    assert theil([1, 3], [1, 1]) == pytest.approx(theil([1, 3]))  # gleiche Gewichte = ungewichtet


def test_ungleichheit_gewichtet_mit_der_zielgruppe():
    from analysen.vergleich import ungleichheit
    from daten.config import lade_kommune
    from daten.einstellungen import kommune_pfad

    k = lade_kommune(kommune_pfad())
    # mehr Kinder dort, wo mehr Plätze sind: gleichmäßiger je Kind (Gini 0,15 statt 0,25 ungewichtet)
    t = pd.DataFrame({"ebene": ["Sozialraum"] * 2, "kita_plaetze_je_kind": [1.0, 3.0], "kinder_kita": [100, 300]})
    gewichtet = ungleichheit(t, k).set_index("kennzahl").loc["kita_plaetze_je_kind"]
    assert gewichtet["gini"] == pytest.approx(1 - ((0 + 0.1) * 0.25 + (0.1 + 1) * 0.75))  # = 0,15
    assert gewichtet["theil"] == pytest.approx(theil([1, 3], [1, 3]))
    assert gewichtet["theil"] != pytest.approx(theil([1, 3]))
    gleich = ungleichheit(t.assign(kinder_kita=[100, 100]), k).set_index("kennzahl").loc["kita_plaetze_je_kind"]
    assert gleich["gini"] == pytest.approx(0.25) and gleich["gini"] != pytest.approx(gewichtet["gini"])
