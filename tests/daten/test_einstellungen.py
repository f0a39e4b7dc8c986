import pytest

from daten.einstellungen import lade_einstellungen
from daten.fehler import KonfigurationsFehler


def test_standard_ist_sqlite_im_nutzerordner_nicht_im_paket(monkeypatch, tmp_path):
    monkeypatch.delenv("RESSOURCENKARTE_DB_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    e = lade_einstellungen()
    assert e.db_url == f"sqlite:///{tmp_path / 'ressourcenkarte' / 'ressourcenkarte.db'}"


def test_url_aus_umgebung(monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", "sqlite:///x.db")
    assert lade_einstellungen().db_url == "sqlite:///x.db"
    assert lade_einstellungen(db_url="sqlite:///y.db").db_url == "sqlite:///y.db"


@pytest.mark.parametrize("pw", [None, "demo", "kurz"])
def test_ausserhalb_demo_kein_unsicheres_passwort(monkeypatch, pw):
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "false")
    if pw:
        monkeypatch.setenv("RESSOURCENKARTE_ADMIN_PASSWORT", pw)
    else:
        monkeypatch.delenv("RESSOURCENKARTE_ADMIN_PASSWORT", raising=False)
    with pytest.raises(KonfigurationsFehler, match="ADMIN_PASSWORT"):
        lade_einstellungen()


def test_ausserhalb_demo_mit_eigenem_passwort(monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "false")
    monkeypatch.setenv("RESSOURCENKARTE_ADMIN_PASSWORT", "ein-langes-eigenes-Passwort")
    assert lade_einstellungen().demo is False


def test_unbekannte_basemap(monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", "google")
    with pytest.raises(KonfigurationsFehler, match="BASEMAP"):
        lade_einstellungen()


def test_standard_hintergrund_ist_keiner(monkeypatch):
    """Im Intranet: ohne Einstellung keine Anfrage an einen Kachelserver."""
    monkeypatch.delenv("RESSOURCENKARTE_BASEMAP", raising=False)
    assert lade_einstellungen(_env_file=None).basemap == "keine"


@pytest.mark.parametrize("wert", ["wms:https://sgx.geodatenzentrum.de/wms_basemapde|de_basemapde_web_raster_farbe",
                                  "xyz:https://kacheln.stadt.example/{z}/{x}/{y}.png", "basemapde", "osm"])
def test_eingestellte_hintergruende(monkeypatch, wert):
    monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", wert)
    assert lade_einstellungen().basemap == wert
