"""Single Sign-on (OpenID Connect über Streamlits `st.login`): Ansprüche (claims) → Rolle und Sozialraum.

Die Stadt pflegt Rollen in ihrem Verzeichnis als Gruppen. Die Einstellung RESSOURCENKARTE_OIDC_GRUPPEN
ordnet Gruppen Rollen zu, z. B. ``AfJF-Admin=admin; ASD-TL-Neustadt=teamleitung:Neustadt``. Welcher Anspruch
die Gruppen trägt, sagt RESSOURCENKARTE_OIDC_CLAIM (Standard ``groups``). Passt keine Gruppe, wird die
Anmeldung abgelehnt. Bei jeder Anmeldung wird das Konto angelegt oder Rolle/Sozialraum/Name nachgeführt
(das Verzeichnis ist führend); ein von der Administration gesperrtes Konto bleibt gesperrt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik
from daten.anmeldezeit import merke_anmeldung
from daten.config import Kommune
from daten.dienste.konten import KEIN_PASSWORT, MIT_SOZIALRAUM, synchronisiere_teamleitung
from daten.fehler import KonfigurationsFehler, RechteFehler
from daten.politik import ROLLEN, Akteur

# Gehört eine Person mehreren Gruppen an, gilt die weitestgehende Rolle.
RANG = ("admin", "jugendhilfeplanung", "teamleitung", "mitglied", "verteiler", "lenkungsgruppe")
LOGIN_CLAIMS = ("email", "preferred_username", "sub")


@dataclass(frozen=True)
class Zielrolle:
    rolle: str
    sozialraum: str | None = None


def lies_gruppen(text: str, *, kommune: Kommune | None = None) -> dict[str, Zielrolle]:
    """Liest „Gruppe=rolle[:Sozialraum]; …“. Fehler nennen den Eintrag; mit `kommune` werden Sozialräume geprüft."""
    zuordnung: dict[str, Zielrolle] = {}
    namen = {sr.name.casefold(): sr.name for sr in kommune.sozialraeume} if kommune else None
    for eintrag in (t.strip() for t in (text or "").split(";")):
        if not eintrag:
            continue
        gruppe, gleich, ziel = eintrag.partition("=")
        rolle, _, sozialraum = ziel.strip().partition(":")
        gruppe, rolle, sozialraum = gruppe.strip(), rolle.strip(), sozialraum.strip()
        if not gleich or not gruppe or rolle not in ROLLEN:
            raise KonfigurationsFehler(
                f"RESSOURCENKARTE_OIDC_GRUPPEN: Eintrag „{eintrag}“ ist ungültig. Form: Gruppe=rolle oder "
                f"Gruppe=rolle:Sozialraum, Einträge mit „;“ getrennt; Rollen: {', '.join(ROLLEN)}.")
        if not politik.sozialraum_wahlweise(rolle) and (rolle in MIT_SOZIALRAUM) != bool(sozialraum):
            raise KonfigurationsFehler(
                f"RESSOURCENKARTE_OIDC_GRUPPEN: „{eintrag}“ – die Rollen {' und '.join(MIT_SOZIALRAUM)} brauchen "
                "einen Sozialraum (rolle:Sozialraum), die anderen keinen.")
        if sozialraum and namen is not None:
            if sozialraum.casefold() not in namen:
                raise KonfigurationsFehler(f"RESSOURCENKARTE_OIDC_GRUPPEN: Sozialraum „{sozialraum}“ in "
                                           f"„{eintrag}“ gibt es nicht. Vorhanden: {'; '.join(namen.values())}.")
            sozialraum = namen[sozialraum.casefold()]
        zuordnung[gruppe] = Zielrolle(rolle, sozialraum or None)
    return zuordnung


def _gruppen(claims: Mapping[str, Any], claim: str) -> list[str]:
    wert = claims.get(claim)
    if wert is None:
        return []
    if isinstance(wert, str):
        return [wert]
    if isinstance(wert, list | tuple):
        return [str(w) for w in wert]
    return [str(wert)]


def rolle_aus_claims(claims: Mapping[str, Any], *, claim: str, gruppen: Mapping[str, Zielrolle]) -> Zielrolle:
    """Die Rolle, die die Gruppen der Person ergeben; keine oder widersprüchliche → RechteFehler (deutsch)."""
    treffer = [gruppen[g] for g in _gruppen(claims, claim) if g in gruppen]
    if not treffer:
        raise RechteFehler(f"Ihr Konto hat keine Rolle in der Ressourcenkarte (Anspruch „{claim}“ enthält keine "
                           "zugeordnete Gruppe). Bitte an die Administration wenden.")
    beste = min(RANG.index(z.rolle) for z in treffer)
    kandidaten = {z for z in treffer if RANG.index(z.rolle) == beste}
    if len(kandidaten) > 1:
        raeume = ", ".join(sorted(z.sozialraum or "" for z in kandidaten))
        raise RechteFehler(f"Ihre Gruppen ergeben die Rolle {ROLLEN[RANG[beste]]} in mehreren Sozialräumen "
                           f"({raeume}). Bitte die Gruppen im Verzeichnis bereinigen lassen.")
    return kandidaten.pop()


def login_aus_claims(claims: Mapping[str, Any]) -> str:
    for k in LOGIN_CLAIMS:
        if claims.get(k):
            return str(claims[k]).strip().lower()[:80]
    raise RechteFehler("Der Anmeldedienst hat keine Kennung geliefert (email, preferred_username oder sub).")


def melde_sso_an(session: Session, akteur: Akteur, *, claims: Mapping[str, Any], claim: str,
                 gruppen: Mapping[str, Zielrolle]) -> Akteur:
    """Legt das Konto an oder führt es nach und gibt die handelnde Person zurück. `akteur` = System."""
    ziel = rolle_aus_claims(claims, claim=claim, gruppen=gruppen)
    login = login_aus_claims(claims)
    sr_id = None
    if ziel.sozialraum:
        sr_id = session.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == ziel.sozialraum))
        if sr_id is None:
            raise KonfigurationsFehler(f"Sozialraum „{ziel.sozialraum}“ aus RESSOURCENKARTE_OIDC_GRUPPEN fehlt in "
                                       "der Datenbank. Bitte 'ressourcenkarte init' ausführen.")
    name = str(claims.get("name") or login)[:200]
    b = session.scalar(select(m.Benutzer).where(m.Benutzer.login == login))
    if b is not None and not b.aktiv:
        raise RechteFehler("Ihr Konto ist gesperrt. Bitte an die Administration wenden.")
    alt_sr = b.sozialraum_id if b else None
    if b is None:
        b = m.Benutzer(login=login, anzeigename=name, rolle=ziel.rolle, sozialraum_id=sr_id, aktiv=True,
                       passwort_hash=KEIN_PASSWORT)
        session.add(b)
    else:
        for k, v in (("anzeigename", name), ("rolle", ziel.rolle), ("sozialraum_id", sr_id)):
            if getattr(b, k) != v:
                setattr(b, k, v)
    for sr in {alt_sr, sr_id}:
        synchronisiere_teamleitung(session, sr)
    session.flush()
    merke_anmeldung(session, b.login, datetime.now(UTC))
    return Akteur(login=b.login, rolle=b.rolle, sozialraum_id=b.sozialraum_id)
