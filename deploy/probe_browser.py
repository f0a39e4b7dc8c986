"""Browser-Teil von deploy/probe.sh: zwei Instanzen hinter nginx (HTTPS) in Chromium ohne Netz prüfen.

    python deploy/probe_browser.py --proxy https://127.0.0.1:PORT --http http://127.0.0.1:PORT \
        --instanz 8601=PID --instanz 8602=PID --db postgresql://postgres@127.0.0.1:5432/rk_probe

Prüft, Schritt für Schritt mit einer Zeile je Schritt (Exit 1 beim ersten Fehler):
 1. Kopfzeilen der Antworten (HSTS, CSP mit frame-ancestors, nosniff, Referrer-Policy, Cookie rk_instanz),
    HTTP → HTTPS (301);
 2. die Karte zeichnet sich über den Proxy ohne jede Anfrage an einen fremden Server;
 3. tl01 meldet sich über den Proxy an und benennt eine Einrichtung um; beide Instanzen (direkt über ihre
    Ports, Sitzungen von VOR der Änderung) zeigen den neuen Namen beim nächsten Neulauf;
 4. die Instanz der Sitzung von tl01 wird beendet: der Browser arbeitet auf der anderen weiter (höchstens
    eine neue Anmeldung), eine zweite Änderung wird gespeichert, die erste ist noch da;
 5. jede Seite der Navigation (angemeldet als tl01) ohne CSP-Verletzung in der Konsole.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from last import CHROMIUM, GEZEICHNET  # noqa: E402

ZUSATZ = f"Probe{int(time.time()) % 100000}"  # nur ASCII: steht so im Datenpaket der Karte
KOEPFE = ("strict-transport-security", "content-security-policy", "x-content-type-options", "referrer-policy")


class ProbeFehler(Exception):
    pass


def schritt(text: str) -> None:
    print(f"[probe] {text}", flush=True)


def pruefe(bedingung: bool, text: str) -> None:
    if not bedingung:
        raise ProbeFehler(text)


# ---------------------------------------------------------------------------------------- Kopfzeilen
def _anfrage(url: str, pfad: str = "/") -> http.client.HTTPResponse:
    u = urlsplit(url)
    if u.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            u.hostname, u.port, timeout=30, context=ssl._create_unverified_context())  # noqa: S323 - eigenes Zertifikat
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("GET", pfad)
    antwort = conn.getresponse()
    antwort.read()
    conn.close()
    return antwort


def pruefe_kopfzeilen(proxy: str, http_url: str) -> None:
    a = _anfrage(proxy)
    pruefe(a.status == 200, f"Startseite über den Proxy: HTTP {a.status}")
    fehlt = [k for k in KOEPFE if not a.getheader(k)]
    pruefe(not fehlt, f"Kopfzeilen fehlen: {fehlt}")
    csp = a.getheader("content-security-policy")
    pruefe("frame-ancestors 'none'" in csp, f"CSP ohne frame-ancestors 'none': {csp}")
    pruefe(a.getheader("x-content-type-options") == "nosniff", "X-Content-Type-Options ist nicht nosniff")
    pruefe(re.search(r"rk_instanz=[0-9a-f]{32};.*Secure.*HttpOnly", a.getheader("set-cookie") or "") is not None,
           f"Cookie rk_instanz fehlt oder ohne Secure/HttpOnly: {a.getheader('set-cookie')}")
    k = _anfrage(proxy, "/component/streamlit_folium.st_folium/index.html")
    pruefe("frame-ancestors 'self'" in (k.getheader("content-security-policy") or ""),
           "Komponenten-iframe: CSP ohne frame-ancestors 'self'")
    r = _anfrage(http_url, "/karte?x=1")
    pruefe(r.status == 301 and (r.getheader("location") or "").startswith("https://"),
           f"HTTP leitet nicht auf HTTPS um: {r.status} {r.getheader('location')}")
    schritt(f"Kopfzeilen vorhanden ({', '.join(KOEPFE)}), HTTP → HTTPS 301, Cookie rk_instanz")


# ---------------------------------------------------------------------------------------- Browser
class Beobachter:
    """Sammelt CSP-Verletzungen (Konsole, alle Frames) und Anfragen an fremde Server (werden abgebrochen)."""

    def __init__(self) -> None:
        self.csp: list[str] = []
        self.fremd: list[str] = []

    def kontext(self, browser, seite_url: str):  # noqa: ANN001, ANN201
        ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 900}, locale="de-DE")
        erlaubt = urlsplit(seite_url).hostname

        def route(r) -> None:  # noqa: ANN001
            u = r.request.url
            if u.startswith(("data:", "blob:", "about:")) or urlsplit(u).hostname == erlaubt:
                r.continue_()
            else:
                self.fremd.append(u)
                r.abort()

        ctx.route("**/*", route)
        ctx.set_default_timeout(60000)
        return ctx

    def seite(self, ctx):  # noqa: ANN001, ANN201
        p = ctx.new_page()

        def konsole(msg) -> None:  # noqa: ANN001
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
                self.csp.append(f"{p.url}: {msg.text[:300]}")

        p.on("console", konsole)
        return p


def gezeichnet(p) -> bool:  # noqa: ANN001
    for fr in p.frames:
        try:
            if fr.locator(GEZEICHNET).count() > 0:
                return True
        except Exception:  # noqa: BLE001, S112 - Frames kommen und gehen
            continue
    return False


def warte(p, bedingung, text: str, grenze_s: float = 90) -> None:  # noqa: ANN001
    ende = time.time() + grenze_s
    while not bedingung(p):
        if time.time() > ende:
            raise ProbeFehler(f"nach {grenze_s:.0f} s nicht erfüllt: {text}")
        p.wait_for_timeout(250)


def _im_html(html: str, text: str) -> bool:
    """`text` im HTML der Karte – auch im Datenpaket (base64, ggf. deflate; Aufbau in karte/paket.py)."""
    if text in html:
        return True
    gesucht = text.encode("utf-8")
    for kandidat in re.findall(r"[\"'](-?[A-Za-z0-9+/= ]{200,})[\"']", html):
        roh = kandidat.replace(" ", "")
        try:
            daten = base64.b64decode(roh[1:]) if roh.startswith("-") else zlib.decompress(base64.b64decode(roh))
        except (ValueError, zlib.error):
            continue
        if gesucht in daten:
            return True
    return False


def karte_enthaelt(text: str):  # noqa: ANN201
    """Die Karte (iframe mit srcdoc, karte/) enthält `text` – im HTML oder im Datenpaket."""
    def pruefe_frames(p) -> bool:  # noqa: ANN001
        for fr in p.frames:
            try:
                html = fr.evaluate("() => [...document.querySelectorAll('iframe')].map(f => f.srcdoc || '')"
                                   ".join('\\n')")
            except Exception:  # noqa: BLE001, S112 - Frame läuft gerade neu
                continue
            if html and _im_html(html, text):
                return True
        return False
    return pruefe_frames


def anmelden(p, adresse: str | None, login: str = "tl01") -> None:  # noqa: ANN001
    if adresse:
        p.goto(adresse, wait_until="domcontentloaded")
    p.get_by_label("Benutzername").fill(login)
    p.get_by_label("Passwort", exact=True).fill("demo")
    p.get_by_role("button", name="Anmelden", exact=True).click()
    p.get_by_text("Angemeldet:").first.wait_for(timeout=60000)
    warte(p, lambda q: q.get_by_role("button", name="Anmelden", exact=True).count() == 0, "Formular verschwunden", 60)


def waehle(p, label: str, option: str) -> None:  # noqa: ANN001
    """Auswahlliste öffnen und Eintrag wählen; läuft die Seite gerade neu, schließt sich die Liste – nochmals."""
    eintrag = p.get_by_role("option", name=option, exact=True).first
    for _ in range(5):
        p.wait_for_timeout(700)
        p.get_by_label(label, exact=True).first.click()
        try:
            eintrag.click(timeout=5000)
            return
        except Exception:  # noqa: BLE001 - Liste war zu
            p.keyboard.press("Escape")
    raise ProbeFehler(f"Auswahl {label} → {option} ließ sich nicht treffen")


def umbenennen(p, zusatz: str) -> tuple[str, str]:  # noqa: ANN001
    """Pflege → Einrichtung bearbeiten: Namen um `zusatz` ergänzen und speichern; liefert (alt, neu)."""
    p.get_by_role("link", name="Pflege").click()
    p.get_by_text("Pflege der Ressourcenkarte").first.wait_for()
    # nur der offene Reiter wird gebaut: erst wenn „Änderungen speichern“ da ist, ist „Name“ das Feld des Eintrags
    speichern = p.get_by_role("button", name="Änderungen speichern")
    for _ in range(5):
        p.get_by_role("tab", name="Einrichtung bearbeiten").click()
        try:
            speichern.wait_for(state="visible", timeout=8000)
            break
        except Exception:  # noqa: BLE001 - Klick während eines Neulaufs
            p.wait_for_timeout(1000)
    feld = p.get_by_label("Name", exact=True).last
    alt = feld.input_value()
    pruefe(bool(alt), "Einrichtung bearbeiten: Feld Name ist leer")
    neu = f"{alt} {zusatz}"
    feld.fill(neu)
    feld.press("Enter")
    p.wait_for_timeout(2500)
    p.get_by_role("button", name="Änderungen speichern").click()
    p.get_by_test_id("stAlertContentSuccess").get_by_text("Änderungen gespeichert.").wait_for(timeout=60000)
    return alt, neu


def name_in_db(db: str, zusatz: str) -> list[str]:
    aus = subprocess.run(["psql", "-X", "-At", db, "-c",
                          f"SELECT name FROM einrichtung WHERE name LIKE '%{zusatz}%' ORDER BY name"],
                         capture_output=True, text=True, check=True)
    return [z for z in aus.stdout.splitlines() if z]


def verbindungen(port: int) -> int:
    """Offene TCP-Verbindungen zur Instanz (der WebSocket einer Browsersitzung kommt von nginx)."""
    aus = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=True)
    return len([z for z in aus.stdout.splitlines() if z.strip()])


def seiten_ohne_csp(p, beob: Beobachter) -> list[str]:  # noqa: ANN001
    """Jede Seite der Navigation anklicken; liefert ihre Titel."""
    nav = p.locator('[data-testid="stSidebarNav"] a')
    nav.first.wait_for()
    titel = [t.strip() for t in nav.all_inner_texts()]
    for t in titel:
        vorher = len(beob.csp)
        link = p.locator('[data-testid="stSidebarNav"] a', has_text=re.compile(f"^{re.escape(t)}$")).first
        link.evaluate("e => e.click()")  # auch wenn die Seitenleiste den Eintrag aus dem Bild geschoben hat
        p.wait_for_timeout(1500)
        warte(p, lambda q: q.locator('[data-testid="stStatusWidget"]').count() == 0, f"Seite {t} lädt", 90)
        p.wait_for_timeout(1500)
        pruefe(len(beob.csp) == vorher, f"CSP-Verletzung auf Seite {t}: {beob.csp[vorher:]}")
    return titel


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proxy", required=True)
    ap.add_argument("--http", required=True)
    ap.add_argument("--instanz", action="append", required=True, help="PORT=PID")
    ap.add_argument("--db", required=True, help="libpq-URL der Probedatenbank (psql)")
    ap.add_argument("--bildschirm", type=Path, default=None, help="Ordner für Bildschirmfotos bei Fehlern")
    args = ap.parse_args(argv)
    instanzen = {int(a.split("=")[0]): int(a.split("=")[1]) for a in args.instanz}
    pruefe(len(instanzen) == 2, "genau zwei Instanzen angeben")
    proxy = args.proxy.rstrip("/") + "/"

    from playwright.sync_api import sync_playwright

    pruefe_kopfzeilen(proxy, args.http)
    beob = Beobachter()
    offene: list = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            # 2. Karte ohne Netz über den Proxy
            ctx = beob.kontext(browser, proxy)
            u = beob.seite(ctx)
            offene.append(u)
            u.goto(proxy, wait_until="domcontentloaded")
            warte(u, gezeichnet, "Karte gezeichnet (über den Proxy)")
            pruefe(not beob.fremd, f"Anfragen an fremde Server: {beob.fremd[:5]}")
            pruefe(not beob.csp, f"CSP-Verletzung auf der Karte: {beob.csp}")
            schritt("Karte über den Proxy gezeichnet, ohne Anfrage an fremde Server, ohne CSP-Verletzung")

            # 3. Sitzungen direkt auf beiden Instanzen, geöffnet VOR der Änderung
            direkt = {}
            for port in instanzen:
                c = beob.kontext(browser, f"http://127.0.0.1:{port}/")
                d = beob.seite(c)
                offene.append(d)
                d.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
                warte(d, gezeichnet, f"Karte auf Instanz {port}")
                pruefe(not karte_enthaelt(ZUSATZ)(d), "Zusatz schon vor der Änderung sichtbar")
                direkt[port] = (c, d)
            anmelden(u, None)
            alt, neu = umbenennen(u, ZUSATZ)
            pruefe(name_in_db(args.db, ZUSATZ) == [neu], f"Datenbank: {name_in_db(args.db, ZUSATZ)} statt {neu!r}")
            schritt(f"tl01 über den Proxy: „{alt}“ → „{neu}“ gespeichert")
            for port, (c, d) in direkt.items():
                # vor dem Neulauf: alter Name zu sehen (die Suche im Datenpaket funktioniert), neuer nicht
                pruefe(karte_enthaelt(alt)(d) and not karte_enthaelt(ZUSATZ)(d),
                       f"Instanz {port} vor dem Neulauf: alter Name nicht gefunden oder neuer schon da")
                waehle(d, "Sozialraum", "Neustadt")  # Neulauf dieser Sitzung
                warte(d, karte_enthaelt(ZUSATZ), f"Instanz {port} zeigt den neuen Namen nach dem Neulauf", 60)
                c.close()
            schritt(f"beide Instanzen ({', '.join(map(str, instanzen))}) zeigen den neuen Namen beim nächsten "
                    "Neulauf")

            # 4. Instanz der Sitzung beenden
            # Nur noch die Sitzung von tl01 ist offen (die direkten sind zu): ihr WebSocket zeigt die Instanz.
            warte(u, lambda _q: sum(verbindungen(port) > 0 for port in instanzen) == 1,
                  "Sitzung von tl01 genau einer Instanz zuzuordnen", 30)
            weg = next(port for port in instanzen if verbindungen(port) > 0)
            os.kill(instanzen[weg], signal.SIGTERM)
            schritt(f"Instanz {weg} beendet (SIGTERM), die Sitzung von tl01 lief dort")
            andere = next(port for port in instanzen if port != weg)
            # Der Browser verbindet seinen WebSocket neu – über nginx mit der anderen Instanz. Bis dahin zeigt er
            # noch die alte Seite; erst nach dem Neulauf dort gilt, was zu sehen ist.
            warte(u, lambda _q: verbindungen(andere) > 0, f"WebSocket zur Instanz {andere} neu verbunden", 90)
            # Der Client zeigt nach dem Wiederverbinden die alte Seite weiter (noch „Angemeldet:“), bis die nächste
            # Aktion die Seite neu laufen lässt – dann in der neuen Sitzung der anderen Instanz. Die Anmeldung lebte
            # im Speicher der beendeten Instanz: erwartet ist das Anmeldeformular. (Hielte ein Cookie die
            # Anmeldung, bliebe „Angemeldet:“ – dann ohne neue Anmeldung weiter.)
            u.locator('[data-testid="stSidebarNav"] a', has_text="Karte").first.click()
            try:
                warte(u, lambda q: q.get_by_role("button", name="Anmelden", exact=True).count() > 0
                      and q.get_by_text("Angemeldet:").count() == 0, "Anmeldeformular der neuen Sitzung", 60)
                neu_angemeldet = True
            except ProbeFehler:
                pruefe(u.get_by_text("Angemeldet:").count() > 0, "nach dem Wechsel weder angemeldet noch Formular")
                neu_angemeldet = False
            if neu_angemeldet:
                anmelden(u, None)
            alt2, neu2 = umbenennen(u, ZUSATZ + "b")
            pruefe(alt2 == neu, f"erste Änderung verloren: Formular zeigt {alt2!r} statt {neu!r}")
            pruefe(name_in_db(args.db, ZUSATZ) == [neu2], f"Datenbank nach dem Wechsel: {name_in_db(args.db, ZUSATZ)}")
            wie = "neue Anmeldung nötig" if neu_angemeldet else "ohne neue Anmeldung"
            schritt(f"weiter auf der anderen Instanz ({wie}), zweite Änderung gespeichert, erste erhalten")

            # 5. jede Seite ohne CSP-Verletzung
            titel = seiten_ohne_csp(u, beob)
            pruefe(not beob.csp, f"CSP-Verletzungen: {beob.csp[:5]}")
            pruefe(not beob.fremd, f"Anfragen an fremde Server: {beob.fremd[:5]}")
            schritt(f"{len(titel)} Seiten ohne CSP-Verletzung und ohne fremde Server: {', '.join(titel)}")
        except Exception as exc:  # noqa: BLE001 - jeder Fehler: Bildschirmfotos, eine Zeile, Exit 1
            if args.bildschirm:
                args.bildschirm.mkdir(parents=True, exist_ok=True)
                for i, p in enumerate(offene):
                    with contextlib.suppress(Exception):  # Seite schon zu
                        p.screenshot(path=str(args.bildschirm / f"probe_{i}.png"), full_page=True)
            print(f"[probe] FEHLER: {type(exc).__name__}: {str(exc)[:1500]}", file=sys.stderr, flush=True)
            return 1
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
