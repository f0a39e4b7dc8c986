"""Betriebsaufbau (deploy/): nginx-Site gültig und mit den nötigen Kopfzeilen/Orten, systemd-Units gehärtet,
Instanzstart, Sicherung mit Aufbewahrung, Produktionsprüfung der Einstellungen, Perzentile der Lastmessung.

Der Ablauf im Ganzen (zwei Instanzen hinter nginx im Browser, Sicherung → Wiederherstellung, Gesundheit bei
gestoppter Datenbank) ist deploy/probe.sh."""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from daten.einstellungen import lade_einstellungen
from daten.fehler import KonfigurationsFehler

WURZEL = Path(__file__).resolve().parents[1]
DEPLOY = WURZEL / "deploy"
SITE = DEPLOY / "nginx" / "ressourcenkarte.conf"
UNIT = DEPLOY / "systemd" / "ressourcenkarte@.service"
CI = os.environ.get("CI", "").lower() == "true"


def _werkzeug(name: str) -> str:
    pfad = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)
    if pfad:
        return pfad
    if CI:
        pytest.fail(f"{name} fehlt (CI=true): apt-get install {name}")
    pytest.skip(f"{name} fehlt")


def _ohne_kommentare(text: str) -> str:
    return "\n".join(z.split("#", 1)[0] if not z.lstrip().startswith("#") else "" for z in text.splitlines())


# ------------------------------------------------------------------------------------------ nginx
def _nginx_pruefen(site_text: str, ordner: Path) -> subprocess.CompletedProcess:
    nginx = _werkzeug("nginx")
    openssl = _werkzeug("openssl")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(ordner / "k.key"), "-out", str(ordner / "c.crt")], check=True, capture_output=True)
    site = (site_text.replace("/etc/ssl/ressourcenkarte/ressourcenkarte.crt", str(ordner / "c.crt"))
            .replace("/etc/ssl/ressourcenkarte/ressourcenkarte.key", str(ordner / "k.key"))
            .replace("/var/log/nginx/", f"{ordner}/"))
    (ordner / "site.conf").write_text(site)
    (ordner / "nginx.conf").write_text(
        f"pid {ordner}/nginx.pid; error_log {ordner}/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {ordner}/site.conf; }}\n")
    return subprocess.run([nginx, "-t", "-c", str(ordner / "nginx.conf"), "-p", str(ordner)],
                          capture_output=True, text=True, timeout=60)


def test_nginx_site_ist_gueltig(tmp_path):
    erg = _nginx_pruefen(SITE.read_text(), tmp_path)
    assert erg.returncode == 0, erg.stderr
    assert "syntax is ok" in erg.stderr and "[warn]" not in erg.stderr, erg.stderr


def test_nginx_pruefung_erkennt_fehler(tmp_path):
    """Gegenprobe: dieselbe Prüfung lehnt eine kaputte Site ab (eine fehlende Direktive im upstream)."""
    kaputt = SITE.read_text().replace("hash $rk_instanz consistent;", "hash_kaputt $rk_instanz;")
    erg = _nginx_pruefen(kaputt, tmp_path)
    assert erg.returncode != 0 and "hash_kaputt" in erg.stderr


def _bloecke(text: str, kopf: str) -> list[str]:
    """Inhalte aller Blöcke `kopf … { … }` (geschweifte Klammern gezählt)."""
    inhalte = []
    for treffer in re.finditer(kopf, text):
        start = text.index("{", treffer.end())
        tiefe, i = 1, start + 1
        while tiefe:
            tiefe += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        inhalte.append(text[start + 1:i - 1])
    return inhalte


def test_nginx_kopfzeilen_websocket_klebrig_und_protokoll():
    text = _ohne_kommentare(SITE.read_text())
    https = next(b for b in _bloecke(text, r"\bserver\s*") if "ssl_certificate" in b)
    for kopf in ("Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options",
                 "Referrer-Policy"):
        assert re.search(rf"add_header\s+{kopf}\s+\S.*\balways;", https), kopf
    assert re.search(r'add_header X-Content-Type-Options "nosniff"', https)
    assert re.search(r'Strict-Transport-Security "max-age=(\d+)', https)
    assert int(re.search(r'max-age=(\d+)', https).group(1)) >= 15552000  # mindestens 180 Tage
    # location-Blöcke mit eigenem add_header erben die Kopfzeilen des server-Blocks nicht
    for loc in _bloecke(https, r"\blocation\b[^{]*"):
        assert "add_header" not in loc
    # CSP: nur die eigene Herkunft, frame-ancestors 'none' (Komponenten: 'self')
    csp = re.search(r'map \$uri \$rk_csp \{\s*default "([^"]+)"', text).group(1)
    assert not re.search(r"https?://|\*", csp), csp
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors $rk_rahmen" in csp
    rahmen = _bloecke(text, r"map \$uri \$rk_rahmen\s*")[0]
    assert re.search(r"default\s+\"'none'\"", rahmen) and re.search(r"\^/component/\"\s+\"'self'\"", rahmen)
    # HTTP → HTTPS
    http = next(b for b in _bloecke(text, r"\bserver\s*") if "ssl_certificate" not in b)
    assert re.search(r"return 301 https://\$host\$request_uri;", http)
    # WebSocket
    ws = _bloecke(https, r"location = /_stcore/stream\s*")[0]
    assert "proxy_pass http://ressourcenkarte;" in ws
    assert "proxy_set_header Upgrade $http_upgrade;" in https and "proxy_set_header Connection $rk_verbindung;" in https
    assert "proxy_http_version 1.1;" in https
    # klebrig über mehrere Instanzen
    upstream = _bloecke(text, r"upstream ressourcenkarte\s*")[0]
    assert "hash $rk_instanz consistent;" in upstream
    assert len(re.findall(r"server 127\.0\.0\.1:\d+", upstream)) >= 2
    # X-Forwarded-For ersetzt (nicht angehängt): die App glaubt nur dem Proxy
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in https
    # Zugriffsprotokoll ohne Abfrageteil
    fmt = re.search(r"log_format ressourcenkarte (.*?);", text, re.S).group(1)
    assert "$uri" in fmt
    assert not re.search(r"\$(request|request_uri|args|query_string|http_cookie|http_referer)\b", fmt), fmt
    assert len(re.findall(r"access_log \S+ ressourcenkarte;", text)) == 2


def test_hochladegrenze_passt_zu_streamlit_und_importen():
    text = _ohne_kommentare(SITE.read_text())
    nginx_mb = int(re.search(r"client_max_body_size (\d+)m;", text).group(1))
    streamlit_mb = int(re.search(r"--server\.maxUploadSize (\d+)", (DEPLOY / "instanz.sh").read_text()).group(1))
    assert streamlit_mb <= 300  # Grenze der Importe je Datei (daten/importe/lesen.py)
    assert streamlit_mb <= nginx_mb <= streamlit_mb + 5  # etwas Rahmen für multipart, nicht mehr


# ------------------------------------------------------------------------------------------ systemd
def _unit(pfad: Path) -> list[tuple[str, str, str]]:
    abschnitt, zeilen = "", []
    for z in pfad.read_text().splitlines():
        z = z.strip()
        if not z or z.startswith("#"):
            continue
        if z.startswith("["):
            abschnitt = z.strip("[]")
            continue
        k, v = z.split("=", 1)
        zeilen.append((abschnitt, k, v))
    return zeilen


def test_instanz_unit_gehaertet_und_mit_umgebungsdatei():
    u = _unit(UNIT)
    dienst = {k: v for a, k, v in u if a == "Service" and k != "Environment"}
    umgebung = [v for a, k, v in u if a == "Service" and k == "Environment"]
    assert dienst["EnvironmentFile"] == "/etc/ressourcenkarte/ressourcenkarte.env"
    assert "RESSOURCENKARTE_PRODUKTION=true" in umgebung
    assert dienst["ExecStart"].endswith("deploy/instanz.sh %i")
    assert dienst["ExecStartPre"].endswith("ressourcenkarte gesundheit")
    assert dienst["User"] == "ressourcenkarte" and dienst["User"] != "root"
    for k, v in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes", "ProtectHome": "yes",
                 "CapabilityBoundingSet": "", "ReadWritePaths": "/var/lib/ressourcenkarte"}.items():
        assert dienst.get(k) == v, k
    assert ("Install", "WantedBy", "multi-user.target") in u


def test_api_unit_und_nginx_ort():
    """Offene Daten: eigener, gehärteter Dienst auf 127.0.0.1:8700; nginx leitet /api/ dorthin, nur lesend."""
    u = _unit(DEPLOY / "systemd" / "ressourcenkarte-api.service")
    dienst = {k: v for a, k, v in u if a == "Service" and k != "Environment"}
    umgebung = [v for a, k, v in u if a == "Service" and k == "Environment"]
    assert "--bind 127.0.0.1:8700" in dienst["ExecStart"] and dienst["ExecStart"].endswith("berichte.opendienst:app")
    assert "pygeoapi openapi generate" in dienst["ExecStartPre"]
    assert "PYGEOAPI_CONFIG=/etc/ressourcenkarte/pygeoapi.yml" in umgebung
    assert dienst["User"] == "ressourcenkarte" and dienst["EnvironmentFile"] == "/etc/ressourcenkarte/api.env"
    for k, v in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes", "ProtectHome": "yes",
                 "CapabilityBoundingSet": "", "ReadWritePaths": "/var/lib/ressourcenkarte"}.items():
        assert dienst.get(k) == v, k
    text = _ohne_kommentare(SITE.read_text())
    https = next(b for b in _bloecke(text, r"\bserver\s*") if "ssl_certificate" in b)
    api = _bloecke(https, r"location /api/\s*")[0]
    assert "proxy_pass http://127.0.0.1:8700/;" in api and re.search(r"limit_except GET HEAD OPTIONS", api)
    assert re.search(r'"~\^/api/"\s+"";', _bloecke(text, r'map "\$uri:\$cookie_rk_instanz" \$rk_instanz_setzen\s*')[0])


def test_sicherungs_units():
    dienst = {k: v for a, k, v in _unit(DEPLOY / "systemd" / "ressourcenkarte-sicherung.service") if a == "Service"}
    assert dienst["ExecStart"].endswith("deploy/sicherung.sh") and dienst["Type"] == "oneshot"
    assert dienst["User"] == "postgres" and dienst["ProtectSystem"] == "strict"
    assert dienst["ReadWritePaths"] == "/var/backups/ressourcenkarte"
    timer = {k: v for a, k, v in _unit(DEPLOY / "systemd" / "ressourcenkarte-sicherung.timer") if a == "Timer"}
    assert timer["OnCalendar"] and timer["Persistent"] == "true"


def test_units_bestehen_systemd_analyze(tmp_path):
    sa = shutil.which("systemd-analyze")
    if not sa:
        pytest.skip("systemd-analyze fehlt")
    for name in ("ressourcenkarte@.service", "ressourcenkarte-sicherung.service", "ressourcenkarte-sicherung.timer"):
        text = (DEPLOY / "systemd" / name).read_text()
        text = text.replace("/opt/ressourcenkarte/.venv/bin/ressourcenkarte", "/bin/true")
        text = text.replace("/opt/ressourcenkarte/deploy/", f"{DEPLOY}/")
        (tmp_path / name).write_text(text)
    ziel = [str(tmp_path / "ressourcenkarte@8601.service"), str(tmp_path / "ressourcenkarte-sicherung.timer")]
    (tmp_path / "ressourcenkarte@8601.service").symlink_to(tmp_path / "ressourcenkarte@.service")
    erg = subprocess.run([sa, "verify", *ziel], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    fehler = [z for z in erg.stderr.splitlines() if "ressourcenkarte" in z]
    assert erg.returncode == 0 and not fehler, erg.stderr


def test_instanz_startbefehl():
    text = (DEPLOY / "instanz.sh").read_text()
    for teil in ("--server.address 127.0.0.1", "--server.enableXsrfProtection true",
                 "--client.showErrorDetails none", "--server.headless true", 'exec "'):
        assert teil in text, teil
    erg = subprocess.run(["sh", str(DEPLOY / "instanz.sh"), "8601;x"], capture_output=True, text=True, timeout=10)
    assert erg.returncode == 2 and "PORT" in erg.stderr


# ------------------------------------------------------------------------------------------ Sicherung
def _stubs(ordner: Path, *, dump_ok: bool = True) -> dict[str, str]:
    """pg_dump, pg_restore und ressourcenkarte als kleine Ersatzskripte (ohne Datenbank)."""
    ordner.mkdir()
    (ordner / "pg_dump").write_text("#!/bin/sh\n" + (
        'while [ $# -gt 0 ]; do [ "$1" = -f ] && echo dump >"$2"; shift; done\n' if dump_ok
        else "echo 'pg_dump: Verbindung abgelehnt' >&2; exit 1\n"))
    (ordner / "pg_restore").write_text("#!/bin/sh\nexit 0\n")
    (ordner / "ressourcenkarte").write_text('#!/bin/sh\nfor a; do z="$a"; done\necho zip >"$z"\n')
    for d in ordner.iterdir():
        d.chmod(0o755)
    return dict(os.environ, PATH=f"{ordner}:{os.environ['PATH']}", RK_BEFEHL=str(ordner / "ressourcenkarte"))


def _sicherung(env: dict[str, str], ziel: Path, tage: int) -> subprocess.CompletedProcess:
    env = dict(env, RK_SICHERUNG_ORDNER=str(ziel), RK_SICHERUNG_TAGE=str(tage), RK_SICHERUNG_PGHOST="127.0.0.1")
    return subprocess.run(["bash", str(DEPLOY / "sicherung.sh")], env=env, capture_output=True, text=True, timeout=60)


def _alt(ordner: Path, tage: float) -> None:
    t = time.time() - tage * 86400
    for p in (*ordner.rglob("*"), ordner):
        os.utime(p, (t, t))


def test_sicherung_rotiert_nach_tagen(tmp_path):
    env, ziel = _stubs(tmp_path / "bin"), tmp_path / "sicherung"
    for name, tage in (("2026-01-01_023000", 20), ("2026-01-10_023000", 14.5), ("2026-01-20_023000", 13.5)):
        (ziel / name).mkdir(parents=True)
        (ziel / name / "FERTIG").write_text("x")
        _alt(ziel / name, tage)
    erg = _sicherung(env, ziel, 14)
    assert erg.returncode == 0, erg.stderr
    namen = sorted(p.name for p in ziel.iterdir())
    assert "2026-01-01_023000" not in namen and "2026-01-10_023000" not in namen  # älter als 14 Tage
    assert "2026-01-20_023000" in namen  # 13,5 Tage: bleibt
    neu = [n for n in namen if n not in ("2026-01-20_023000",)]
    assert len(neu) == 1 and not neu[0].startswith(".laufend")
    assert {p.name for p in (ziel / neu[0]).iterdir()} == {"ressourcenkarte.dump", "ressourcenkarte.zip", "FERTIG"}
    assert oct((ziel / neu[0] / "ressourcenkarte.dump").stat().st_mode & 0o777) == "0o600"


def test_fehlgeschlagene_sicherung_loescht_nichts(tmp_path):
    env, ziel = _stubs(tmp_path / "bin", dump_ok=False), tmp_path / "sicherung"
    (ziel / "2026-01-01_023000").mkdir(parents=True)
    (ziel / "2026-01-01_023000" / "FERTIG").write_text("x")
    _alt(ziel / "2026-01-01_023000", 30)
    erg = _sicherung(env, ziel, 14)
    assert erg.returncode != 0 and "Verbindung abgelehnt" in erg.stderr
    assert [p.name for p in ziel.iterdir()] == ["2026-01-01_023000"]  # alte bleibt, keine halbe neue


def test_neueste_sicherung_bleibt_auch_wenn_alt(tmp_path):
    """Nur alte Sicherungen vorhanden und die neue … ist die neueste: sie bleibt; TAGE=1 löscht die alte."""
    env, ziel = _stubs(tmp_path / "bin"), tmp_path / "sicherung"
    (ziel / "2026-01-01_023000").mkdir(parents=True)
    (ziel / "2026-01-01_023000" / "FERTIG").write_text("x")
    _alt(ziel / "2026-01-01_023000", 3)
    assert _sicherung(env, ziel, 1).returncode == 0
    namen = [p.name for p in ziel.iterdir()]
    assert len(namen) == 1 and namen[0] != "2026-01-01_023000"
    assert _sicherung(env, ziel, 0).returncode == 2  # unsinnige Aufbewahrung abgelehnt


# ------------------------------------------------------------------------------------------ Einstellungen
PROD = {"produktion": True, "demo": False, "admin_passwort": "ein-langes-passwort",
        "db_url": "postgresql+psycopg://rk_app@127.0.0.1:5432/ressourcenkarte", "vertraute_proxys": "127.0.0.1"}


def test_produktion_vollstaendig_startet():
    e = lade_einstellungen(**PROD)
    assert e.produktion and not e.demo and [str(n) for n in e.proxy_netze()] == ["127.0.0.1/32"]


@pytest.mark.parametrize(("aenderung", "meldung"), [
    ({"demo": True}, "RESSOURCENKARTE_DEMO=false"),
    ({"db_url": "sqlite:////var/lib/ressourcenkarte/rk.db"}, "nicht SQLite"),
    ({"vertraute_proxys": ""}, "RESSOURCENKARTE_VERTRAUTE_PROXYS"),
])
def test_produktion_verweigert_unvollstaendiges(aenderung, meldung):
    with pytest.raises(KonfigurationsFehler, match="RESSOURCENKARTE_PRODUKTION=true verlangt") as info:
        lade_einstellungen(**{**PROD, **aenderung})
    assert meldung in str(info.value)


def test_ohne_produktion_bleibt_alles_erlaubt():
    e = lade_einstellungen(**{**PROD, "produktion": False, "demo": True, "db_url": "sqlite:///x.db",
                              "vertraute_proxys": ""})
    assert not e.produktion and e.demo


# ------------------------------------------------------------------------------------------ Lastmessung
def _last():
    spec = importlib.util.spec_from_file_location("deploy_last", DEPLOY / "last.py")
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


def test_perzentil_naechster_rang():
    last = _last()
    werte = [float(i) for i in range(20, 0, -1)]  # 20 Werte, unsortiert
    assert last.perzentil(werte, 50) == 10.0
    assert last.perzentil(werte, 95) == 19.0
    assert last.perzentil(werte, 100) == 20.0
    assert last.perzentil([3.0, math.nan, 1.0], 50) == 1.0  # gescheiterte Messung zählt nicht
    assert math.isnan(last.perzentil([math.nan], 50)) and math.isnan(last.perzentil([], 95))


def test_rss_aus_proc():
    last = _last()
    assert 1 < last.rss_mb(os.getpid()) < 100_000
    assert math.isnan(last.rss_mb(2**30))
