"""Gemeinsames der Seiten: Einstellungen, Engine (cache_resource), Daten (cache_data), Anmeldung,
Textmaskierung für Markdown und der Seitenrahmen (Sprache Deutsch, sichtbarer Fokus)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from daten import modelle as m
from daten.config import Kommune, lade_kommune
from daten.db import erstelle_engine, sitzung
from daten.einstellungen import Einstellungen, lade_einstellungen
from daten.fehler import RessourcenkarteFehler
from daten.kartendaten import Kartendaten, lade_kartendaten
from daten.politik import Akteur

# Zeichen, die Markdown (CommonMark/GFM) oder Streamlit (:farbe[…], :emoji:, $Formel$) auswerten würde.
_MD_ZEICHEN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&^=])")
_STEUERZEICHEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Streamlits Markdown ersetzt manches erst im fertigen Text, nach dem Auflösen der Maskierung: Kurzzeichen
# (:smile:, :material_home:, :streamlit: als Bild), Pfeile (-> wird →) und GFM-Autolinks (www.…, http://…,
# a@b.de). Ein unsichtbarer Wortverbinder (U+2060) an diesen Stellen lässt die Muster nicht mehr passen.
WORTVERBINDER = "\u2060"
_TEXTMUSTER = re.compile(r"(?<=:)(?=[\w+\-/])|(?<=@)|(?<=(?i:www))(?=\.)|(?<=[<>~\-])(?=[<>=\-])")
_EINZUG = re.compile(r"^[ \t]+")
_ISO_DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")


def _md_zeile(text: str) -> str:
    return _MD_ZEICHEN.sub(r"\\\1", _TEXTMUSTER.sub(WORTVERBINDER, text))


def md(wert: object, *, zeilen: bool = False) -> str:
    """Die eine Maskierung für Text aus Datenbank oder Eingabe an Stellen, die Markdown auswerten (Titel,
    Überschriften, `st.markdown`, `st.caption`, Meldungen, Beschriftungen): jedes Sonderzeichen wird maskiert,
    dazu ein Wortverbinder, wo Streamlit sonst Kurzzeichen, Pfeile oder Links einsetzte. So erscheint
    `![t](http://…)` als Text statt als Bild, `:red[x]` nicht rot, `$x$` nicht als Formel.

    Ohne `zeilen` werden Steuerzeichen und Zeilenumbrüche zu Leerzeichen (Überschriften, Beschriftungen).
    Mit `zeilen=True` (mehrzeilige Texte, z. B. Protokollpunkte) bleibt jede Zeile eine Zeile (harter
    Umbruch); Einrückungen werden geschützte Leerzeichen, damit nie ein Codeblock entsteht."""
    text = "" if wert is None else str(wert)
    if not zeilen:
        return _md_zeile(" ".join(_STEUERZEICHEN.sub(" ", text).split()))
    aus = []
    for zeile in text.splitlines():
        zeile = _STEUERZEICHEN.sub(" ", zeile.expandtabs(4))
        einzug = _EINZUG.match(zeile)
        n = einzug.end() if einzug else 0
        aus.append("\u00a0" * n + _md_zeile(zeile[n:]))
    return "  \n".join(aus)


def zahl(x: float | int | None, stellen: int = 0) -> str:
    """Deutsche Zahl (1.234,5); fehlend → „–“."""
    if x is None or pd.isna(x):
        return "–"
    text = f"{float(x):,.{stellen}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def euro(x: float | int | None, *, stellen: int = 2) -> str:
    """Betrag deutsch mit Euro: „1.234,50 €“, „0,00 €“, „-1.234,50 €“ (geschütztes Leerzeichen vor €); fehlend → „–“.

    Nie „0.00“: auch null Euro steht mit Komma und Einheit da."""
    if x is None or pd.isna(x):
        return "–"
    betrag = round(float(x), stellen)
    text = zahl(abs(betrag), stellen)
    return f"{'-' if betrag < 0 else ''}{text}\u00a0€"


def datum(x: object) -> str:
    """Datum deutsch „TT.MM.JJJJ“ aus date, datetime, pandas-Zeitstempel oder ISO-Text (2026-12-06[T…]);
    fehlend → „–“. Text, der kein Datum ist, bleibt, wie er ist."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return "–"
    if isinstance(x, str):
        try:
            x = pd.Timestamp(x) if _ISO_DATUM.match(x.strip()) else x
        except ValueError:
            return x
        if isinstance(x, str):
            return x
    return f"{x:%d.%m.%Y}" if hasattr(x, "strftime") else str(x)


def daten_deutsch(df: pd.DataFrame, spalten: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Kopie von `df`, in der die genannten Datumsspalten als „TT.MM.JJJJ“ stehen (für st.dataframe)."""
    return df.assign(**{c: df[c].map(datum) for c in spalten if c in df})


# ------------------------------------------------------------------ Seitenrahmen (Barrierefreiheit)

_RAHMEN_CSS = """<style>
/* 2.4.7 Fokus sichtbar: kräftiger Rahmen (Kontrast ≥ 3:1 auf Weiß und auf der grauen Seitenleiste) */
a:focus-visible, button:focus-visible, summary:focus-visible, [role="button"]:focus-visible,
[role="tab"]:focus-visible, [tabindex]:focus-visible, textarea:focus-visible, input:focus-visible {
  outline: 3px solid #0b57d0 !important; outline-offset: 2px !important;
}
[data-testid="stSidebarNav"] a:focus-visible { background: #dbe7fb !important; }
/* Kontrollkästchen und Optionsfelder: das echte Eingabefeld ist unsichtbar, also die Beschriftung rahmen */
label:has(input[type="checkbox"]:focus-visible), label:has(input[type="radio"]:focus-visible) {
  outline: 3px solid #0b57d0; outline-offset: 2px; border-radius: 4px;
}
[data-baseweb="select"]:focus-within > div { box-shadow: 0 0 0 2px #0b57d0 !important; }
/* Bildunterschriften: Streamlit blendet sie mit opacity 0.6 ab (3,9:1), zu hell für Text; #5a5958 hat 7:1 */
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #5a5958 !important; }
[data-testid="stCaptionContainer"] p { color: #5a5958 !important; }
/* Englische Bedienhinweise unter Eingabefeldern ausblenden; der deutsche Hinweis steht in der Hilfe */
[data-testid="InputInstructions"] { display: none !important; }
</style>"""

# Streamlit liefert <html lang="en">; Komponenten-iframes (Karte) ebenso. Dieses Skript läuft im Hauptdokument
# (st.html mit unsafe_allow_javascript, gleiche Herkunft), setzt lang="de" und hält es fest, auch in jedem
# iframe gleicher Herkunft, sobald dieses geladen ist.
_RAHMEN_JS = """<script>
(function () {
  if (window.__rkRahmen) { return; }
  window.__rkRahmen = true;
  function deutsch(doc) {
    try { if (doc && doc.documentElement && doc.documentElement.lang !== "de") { doc.documentElement.lang = "de"; } }
    catch (e) { /* fremde Herkunft: nicht unsere Sache */ }
  }
  /* Karten in Containern mit Schlüssel "rkvoll_…": die Karte im iframe füllt dessen ganze Höhe (die Höhe
     des iframes setzt das CSS der Seite nach der Fensterhöhe); Leaflet erfährt die neue Größe per resize. */
  function anstossen(f) {
    try { f.contentWindow.dispatchEvent(new Event("resize")); } catch (e) { /* fremde Herkunft */ }
  }
  function voll(f) {
    if (!f.closest('[class*="st-key-rkvoll_"]')) { return; }
    if (!f.title || /^st[._]/.test(f.title)) {  /* sprechender Name statt „st.iframe“ (Bildschirmleser) */
      f.title = "Interaktive Karte; dieselben Inhalte stehen als Tabellen auf dieser Seite";
    }
    try {  /* auch das Kartendokument selbst braucht einen Titel (2.4.2) */
      if (f.contentDocument && !f.contentDocument.title) { f.contentDocument.title = f.title; }
    } catch (e) { /* fremde Herkunft */ }
    try {
      var d = f.contentDocument;
      if (d && d.head && !d.getElementById("rk-voll")) {
        var s = d.createElement("style"); s.id = "rk-voll";
        s.textContent = "#map_div{height:100vh!important}";
        d.head.appendChild(s); anstossen(f);
      }
    } catch (e) { /* fremde Herkunft */ }
    if (!f.__rkVoll && window.ResizeObserver) {
      f.__rkVoll = true;
      new ResizeObserver(function () { anstossen(f); }).observe(f);
    }
  }
  function rahmen() {
    document.querySelectorAll("iframe").forEach(function (f) {
      deutsch(f.contentDocument); voll(f);
      if (!f.__rkLang) {
        f.__rkLang = true;
        f.addEventListener("load", function () { deutsch(f.contentDocument); voll(f); });
      }
    });
  }
  /* Streamlits Sprunglink (erstes Element für Tastatur und Bildschirmleser) ist englisch beschriftet */
  function sprunglink() {
    var a = document.querySelector('[data-testid="stSkipToContent"]');
    if (a && a.textContent !== "Zum Inhalt springen") { a.textContent = "Zum Inhalt springen"; }
  }
  deutsch(document); rahmen(); sprunglink();
  window.addEventListener("resize", function () { document.querySelectorAll("iframe").forEach(anstossen); });
  new MutationObserver(function () { deutsch(document); rahmen(); sprunglink(); }).observe(document.documentElement,
    {attributes: true, attributeFilter: ["lang"], childList: true, subtree: true});
})();
</script>"""


def stil(css: str) -> None:
    """Festes, eigenes CSS (nie mit Daten darin). st.html mit nur <style> zeichnet Streamlit ohne Platz im
    Inhalt; sein Code wird für seitenrahmen() ohnehin geladen (Markdown mit HTML lüde drei Skriptteile mehr)."""
    st.sidebar.html(css)


def seitenrahmen() -> None:
    """Dokumentsprache Deutsch, sichtbarer Tastaturfokus, Karten in voller Höhe: einmal je Lauf.

    Seiten mit Karte rufen es direkt nach der Karte auf (Streamlit lädt den Code für st.html erst, wenn es
    das Element zeichnet; so verzögert es die Karte nicht und setzt die Sprache trotzdem früh).
    streamlit_app.py ruft es nach jeder Seite noch einmal auf; hat die Seite es schon getan, passiert nichts.
    """
    lauf = laufkennung()
    if lauf is not None and st.session_state.get("_rahmen_lauf") is lauf:
        return
    st.session_state["_rahmen_lauf"] = lauf
    stil(_RAHMEN_CSS)
    st.sidebar.html(_RAHMEN_JS, unsafe_allow_javascript=True)


def laufkennung() -> object:
    """Ein Objekt, das es nur in diesem Skriptlauf gibt (Streamlit legt je Lauf neue `cursors` an); es wird
    selbst gespeichert und mit `is` verglichen, damit keine wiederverwendete id täuscht."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return getattr(ctx, "cursors", None)  # None (ohne Lauf, andere Streamlit-Version): immer ausgeben


# ------------------------------------------------------------------ Einstellungen, Engine, Daten


@st.cache_resource
def einstellungen() -> Einstellungen:
    """Einstellungen aus Umgebung/.env; ein Abschnitt [ressourcenkarte] in secrets.toml hat Vorrang."""
    try:
        geheim = dict(st.secrets.get("ressourcenkarte", {}))
    except (FileNotFoundError, KeyError, st.errors.StreamlitAPIException):
        geheim = {}
    return lade_einstellungen(**geheim)


@st.cache_resource
def kommune() -> Kommune:
    return lade_kommune(einstellungen().kommune)


@st.cache_resource
def engine():  # noqa: ANN201
    return erstelle_engine(einstellungen().db_url)


def datenstand() -> str:
    """Version der Daten: letzte Änderungsprotokoll-Zeile (jede Änderung wird protokolliert)."""
    with sitzung(engine(), akteur=None) as s:
        letzte = s.scalar(select(func.max(m.Aenderung.id)))
        anzahl = s.scalar(select(func.count()).select_from(m.Einrichtung))
    return f"{letzte}-{anzahl}"


@st.cache_data(show_spinner="Daten werden geladen …", max_entries=16)
def kartendaten(stand: str, stichtag: date | None = None, jahr: int | None = None) -> Kartendaten:
    """Alle Kartenebenen; der Cache hängt am Datenstand `stand`."""
    return lade_kartendaten(engine(), kommune(), stichtag=stichtag, jahr=jahr, pruefen=False)


@st.cache_data(max_entries=4)
def netzwerke(stand: str) -> pd.DataFrame:
    """Netzwerke mit den ids ihrer aktiven Mitglieder: id, name, status, sozialraum, mitglied_ids."""
    with sitzung(engine(), akteur=None) as s:
        q = (select(m.Netzwerk).options(selectinload(m.Netzwerk.mitglieder), selectinload(m.Netzwerk.sozialraum))
             .order_by(m.Netzwerk.name))
        zeilen = [{"id": n.id, "name": n.name, "status": n.status,
                   "sozialraum": n.sozialraum.name if n.sozialraum else "",
                   "mitglied_ids": [e.id for e in n.mitglieder if e.aktiv]} for n in s.scalars(q)]
    return pd.DataFrame(zeilen, columns=["id", "name", "status", "sozialraum", "mitglied_ids"])


# Spalten der Kartendaten, die sich beim Bestätigen oder Speichern ändern, ohne dass eine Karte anders aussieht
_OHNE_BELANG = ("version", "bestaetigt_am", "bestaetigt_von", "frische")


@st.cache_data(show_spinner=False, max_entries=8)
def inhaltsstand(stand: str) -> str:
    """Fingerabdruck der Kartendaten zum Datenstand `stand`, ohne `_OHNE_BELANG`: der Schlüssel für Karten und
    Tabellen daraus. Eine Bestätigung in der Pflege lässt ihn gleich – keine Karte wird neu gebaut; ein geänderter
    Name, eine neue Lage oder Einrichtung ergibt einen neuen."""
    return "i" + fingerabdruck(vars(kartendaten(stand)).items())


def fingerabdruck(frames) -> str:  # noqa: ANN001 - Paare (Name, DataFrame oder None)
    """SHA-256 über Namen und Inhalte der Frames (Geometrien als WKB), ohne die Spalten `_OHNE_BELANG`."""
    import hashlib

    h = hashlib.sha256()
    for name, df in frames:
        if df is None:
            continue
        df = df.drop(columns=[c for c in _OHNE_BELANG if c in df.columns])
        geo = [c for c in df.columns if getattr(df[c], "geom_type", None) is not None]
        h.update(name.encode())
        h.update(pd.util.hash_pandas_object(pd.DataFrame(df.drop(columns=geo)).astype(str), index=False)
                 .to_numpy().tobytes())
        for c in geo:
            h.update(b"".join(w or b"" for w in df[c].to_wkb()))
    return h.hexdigest()[:24]


def aktuelle_daten() -> tuple[str, Kartendaten]:
    """Inhaltsstand (`inhaltsstand`) und Kartendaten; bei Datenbankfehlern deutsche Meldung und Seitenende."""
    try:
        stand = datenstand()
        return inhaltsstand(stand), kartendaten(stand)
    except RessourcenkarteFehler as exc:
        zeige_fehler(exc)
        st.stop()
        raise  # st.stop() beendet den Lauf; für Typprüfer


@st.cache_data(max_entries=48, show_spinner="Karte wird gebaut …")
def karten_html(stand: str, schluessel: tuple, _bauen: Callable[[], Any]) -> str:
    """Eigenständiges HTML der Karte, sitzungsübergreifend zwischengespeichert (ein Text ist unveränderlich,
    anders als ein folium-Objekt). `schluessel` beschreibt die Auswahl vollständig; `_bauen` baut die Karte."""
    from karte import html_text

    return html_text(_bauen())


def klickbare_karte(schluessel: tuple, bauen: Callable[[], Any], *, hoechstens: int = 4) -> Any:
    """Folium-Karte für st_folium, je Browsersitzung zwischengespeichert und einmal „vorgezeichnet“.

    st_folium verändert ein Kartenobjekt beim ersten Zeichnen (es hängt z. B. die Kachelebene neu an); beim
    zweiten Lauf entstünde anderes JavaScript, die Komponente würde neu geladen und verlöre den gerade
    gemeldeten Klick. Deshalb hier dieselben Schritte einmal vorab (streamlit_folium 0.2x), dann ist jedes
    Zeichnen gleich. Das Bauen neu zu wiederholen hilft nicht: das Datenpaket ist nicht bytegleich.
    Nicht sitzungsübergreifend: ein geteiltes, von st_folium verändertes Objekt geriete durcheinander.
    """
    ablage: dict[tuple, Any] = st.session_state.setdefault("_karten", {})
    if schluessel not in ablage:
        import streamlit_folium

        while len(ablage) >= hoechstens:
            ablage.pop(next(iter(ablage)))
        m = bauen()
        m.get_root().render()
        m.render()
        streamlit_folium._get_map_string(m)
        ablage[schluessel] = m
    return ablage[schluessel]


def akteur() -> Akteur | None:
    return st.session_state.get("akteur")


def zeige_fehler(exc: RessourcenkarteFehler) -> None:
    """Deutsche Fehlermeldung ohne Traceback; der Text wird nicht als Markdown ausgewertet."""
    st.error(md(str(exc)), icon="⚠️")


# ------------------------------------------------------------------ Sozialraum-Angaben


def stufe_text(kommune: Kommune, stufe: object) -> str:
    """„Stufe 2 – Träger der HzE, …“ aus der Konfiguration; fehlt die Stufe: „Stufe unbekannt“."""
    if stufe is None or pd.isna(stufe):
        return "Stufe unbekannt"
    n = int(stufe)
    return f"Stufe {n} von {max(kommune.stufen)}"


def sozialraum_zeile(daten: Kartendaten, name: str) -> dict[str, Any]:
    """Teamleitung, Stufe und Stadtteile eines Sozialraums als dict (leere Werte, wenn unbekannt)."""
    sr = daten.sozialraeume
    zeile = sr[sr["name"] == name]
    if zeile.empty:
        return {"teamleitung": "", "stufe": None, "stadtteile": ""}
    z = zeile.iloc[0]
    return {"teamleitung": z.get("teamleitung") or "", "stufe": z.get("stufe"), "stadtteile": z.get("stadtteile") or ""}
