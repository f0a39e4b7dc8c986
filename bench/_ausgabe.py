"""Ausgabe des Karten-Benchmarks: Tabelle und Zielprüfung (✓/✗)."""

from __future__ import annotations

from typing import Any

ZIEL_LAND_FAKTOR = 10  # unsere Bytes höchstens 1/10 von explore()
ZIEL_LAND_BUILD = 0.07  # unsere Build-Zeit höchstens 7 % von explore() (mit Abstand zu den früheren 10 %)
ZIEL_LAND_SICHTBAR_S = 2.0
ZIEL_MAINZ_SICHTBAR_S = 0.5
ZIEL_SEITE_WARM_S = 0.25


def _bytes(n: int | None) -> str:
    if n is None:
        return "–"
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{n / 1000:.0f} kB"


def _sek(s: float | None) -> str:
    return "–" if s is None else f"{s:.3f}" if s < 10 else f"{s:.1f}"


def tabelle(zeilen: list[dict[str, Any]]) -> str:
    kopf = ["Skala", "Methode", "Polygone", "Einricht.", "HTML", "Build s", "Sichtbar s", "Hinweis"]
    daten = [[z["skala"], z["methode"], f"{z['polygone']:,}".replace(",", "."),
              f"{z['einrichtungen']:,}".replace(",", "."), _bytes(z["bytes"]), _sek(z["build_s"]),
              _sek(z["visible_s"]), z.get("hinweis") or ""] for z in zeilen]
    breiten = [max(len(str(r[i])) for r in [kopf, *daten]) for i in range(len(kopf) - 1)]
    def zeile(r: list[str]) -> str:
        return " | ".join(str(w).ljust(b) for w, b in zip(r, breiten, strict=False)) + " | " + str(r[-1])
    trenner = "-+-".join("-" * b for b in breiten) + "-+-" + "-" * 20
    return "\n".join([zeile(kopf), trenner, *(zeile(r) for r in daten)])


def _finde(zeilen: list[dict[str, Any]], skala: str, methode: str) -> dict[str, Any] | None:
    return next((z for z in zeilen if z["skala"] == skala and z["methode"] == methode), None)


def _haken(ok: bool | None) -> str:
    return "?" if ok is None else "✓" if ok else "✗"


def _verhaeltnis(unser: float | None, peer: float | None, peer_abgebrochen: str | None,
                 einheit: str, anteil: float = 1 / ZIEL_LAND_FAKTOR) -> tuple[bool | None, str]:
    """Prüft unser ≤ anteil × peer; bei abgebrochenem explore() gilt dessen Zeitgrenze als untere Schranke."""
    if unser is None:
        return False, "unser Wert fehlt"
    if peer is None:
        return None, f"explore() nicht messbar ({peer_abgebrochen or 'kein Wert'})"
    ok = unser <= anteil * peer
    return ok, (f"ours {unser:,.2f} {einheit} vs. explore {peer:,.2f} {einheit} → {unser / peer:.3f} "
                f"(1/{peer / unser:.1f})")


def _vergleich(name: str, ours: dict[str, Any] | None, peer: dict[str, Any] | None, feld: str,
               peer_name: str) -> str | None:
    """„ours ≤ peer“ für ein Feld (bytes, visible_s); None, wenn eine der Zeilen fehlt."""
    if not ours or not peer:
        return None
    a, b = ours.get(feld), peer.get(feld)
    einheit = "Bytes" if feld == "bytes" else "Sichtbar"
    if a is None or b is None:
        grund = peer.get("hinweis") if b is None else "unser Wert fehlt"
        return f"  ? {name}: {einheit} ours ≤ {peer_name} – nicht messbar ({(grund or 'kein Wert')[:90]})"
    text = f"{_bytes(a)} vs. {_bytes(b)}" if feld == "bytes" else f"{a:.3f} s vs. {b:.3f} s"
    return f"  {_haken(a <= b)} {name}: {einheit} ours ≤ {peer_name} – {text}"


def ziele(zeilen: list[dict[str, Any]]) -> str:
    aus = ["Ziele:"]
    ours, peer = _finde(zeilen, "land", "ours"), _finde(zeilen, "land", "explore")
    if ours and peer:
        grenze = _abbruchgrenze(peer)
        ok, text = _verhaeltnis(ours["bytes"] and ours["bytes"] / 1e6, peer["bytes"] and peer["bytes"] / 1e6,
                                peer.get("hinweis"), "MB")
        aus.append(f"  {_haken(ok)} Land: HTML-Bytes ≤ 1/10 von explore() – {text}")
        peer_build = peer["build_s"] if peer["build_s"] is not None else grenze
        ok, text = _verhaeltnis(ours["build_s"], peer_build, peer.get("hinweis"), "s", ZIEL_LAND_BUILD)
        if peer["build_s"] is None and grenze is not None and ours["build_s"] is not None:
            text = f"ours {ours['build_s']:.2f} s vs. explore > {grenze:g} s (abgebrochen)"
        aus.append(f"  {_haken(ok)} Land: Build-Zeit (Uhr) ≤ {ZIEL_LAND_BUILD:g} × explore() – {text}")
        if ours.get("build_cpu_s") and peer.get("build_cpu_s"):  # robust gegen Last anderer Prozesse
            ok, text = _verhaeltnis(ours["build_cpu_s"], peer["build_cpu_s"], None, "s", ZIEL_LAND_BUILD)
            aus.append(f"  {_haken(ok)} Land: Build-Zeit (CPU) ≤ {ZIEL_LAND_BUILD:g} × explore() – {text}")
        aus.append(_sichtbar_ziel("Land", ours, ZIEL_LAND_SICHTBAR_S))
    lon = _finde(zeilen, "land", "lonboard")
    for feld in ("bytes", "visible_s"):
        zeile = _vergleich("Land", ours, lon, feld, "lonboard")
        if zeile:
            aus.append(zeile)
    mainz = _finde(zeilen, "mainz", "ours")
    if mainz:
        aus.append(_sichtbar_ziel("Mainz", mainz, ZIEL_MAINZ_SICHTBAR_S))
        zeile = _vergleich("Mainz", mainz, _finde(zeilen, "mainz", "explore"), "visible_s", "explore()")
        if zeile:
            aus.append(zeile)
    seite = _finde(zeilen, "mainz", "karte_seite_warm")
    if seite:
        s = seite["build_s"]
        ok = None if s is None else s <= ZIEL_SEITE_WARM_S
        aus.append(f"  {_haken(ok)} Mainz: Karte-Seite warmer Neulauf ≤ {ZIEL_SEITE_WARM_S} s – "
                   f"{_sek(s)} s" + (f" ({seite['hinweis']})" if s is None else ""))
    return "\n".join(aus) if len(aus) > 1 else "Ziele: (für diese Skala keine)"


def _sichtbar_ziel(name: str, zeile: dict[str, Any], grenze: float) -> str:
    s = zeile["visible_s"]
    ok = s is not None and s <= grenze
    grund = [h for h in (zeile.get("hinweis") or "").split("; ") if "timeout" in h or "abgebrochen" in h
             or "fehler" in h.lower()]
    wert = f"{s:.3f} s" if s is not None else (grund[0] if grund else "kein Wert")
    return f"  {_haken(ok)} {name}: sichtbar ≤ {grenze} s – {wert}"


def _abbruchgrenze(zeile: dict[str, Any]) -> float | None:
    """Aus 'abgebrochen: > 480 s' die 480 lesen (untere Schranke für explore())."""
    hinweis = zeile.get("hinweis") or ""
    if "abgebrochen: > " not in hinweis:
        return None
    try:
        return float(hinweis.split("abgebrochen: > ")[1].split(" s")[0])
    except ValueError:
        return None
