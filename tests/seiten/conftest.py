import pytest
import streamlit as st

# Eine Seite allein (AppTest.from_file("seiten/…")) hat seiten/ vorn in sys.path; `import karte` fände dort
# seiten/karte.py statt des Pakets. Das Paket vorab laden (im Betrieb startet streamlit_app.py im Wurzelordner).
import karte  # noqa: F401, E402


@pytest.fixture
def app_env(monkeypatch, demo_sqlite_url):
    """Umgebung für AppTest: Demo-SQLite; Streamlit-Caches leeren, damit die URL greift."""
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", demo_sqlite_url)
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "true")
    monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", "keine")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield demo_sqlite_url
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_env_postgis(monkeypatch, demo_engine):
    """Wie app_env, aber gegen die Demo-Datenbank des jeweiligen Backends (SQLite und PostGIS)."""
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "true")
    monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", "keine")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
