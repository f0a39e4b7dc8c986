"""Jährliche Pflichten der Gremiumsarbeit (5.2, 4.2): Reflexion dokumentiert? Lenkungsgruppe getagt? Bericht jeder
Teamleitung an die Lenkungsgruppe erstattet? Nur Lesen, keine Protokolltexte – für „Meine Aufgaben“ und die Seite
„Hospitationen und Reflexion“.

`jahr` ist immer das **betrachtete** Jahr: die gemeinsame Reflexion über 2025 findet Anfang 2026 statt, der Bericht
der Teamleitung über 2025 ebenso.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import werte


@dataclass(frozen=True)
class Lenkungsberichtstand:
    """Bericht einer Teamleitung an die Lenkungsgruppe (4.2) über das Jahr: `datum` None = fehlt."""

    sozialraum_id: int
    sozialraum: str
    datum: date | None
    erstattet_von: str | None

    @property
    def erstattet(self) -> bool:
        return self.datum is not None

    @property
    def text(self) -> str:
        """„erstattet am 12.02.2026“ oder „fehlt“."""
        return f"erstattet am {self.datum:%d.%m.%Y}" if self.datum else "fehlt"


@dataclass(frozen=True)
class Pflichten:
    """Stand der jährlichen Pflichten über `jahr` (5.2, 4.2)."""

    jahr: int
    reflexion_am: date | None  # gemeinsame Reflexion der Delegierten mit der Lenkungsgruppe
    delegierte: tuple[dict, ...]  # [{sozialraum, name}] der gemeinsamen Reflexion
    lenkungsgruppe_am: date | None  # die anschließende Sitzung der Lenkungsgruppe allein
    lenkungsberichte: tuple[Lenkungsberichtstand, ...]  # je Sozialraum, in der Reihenfolge der Konfiguration

    @property
    def reflexion_dokumentiert(self) -> bool:
        return self.reflexion_am is not None

    @property
    def lenkungsgruppe_getagt(self) -> bool:
        return self.lenkungsgruppe_am is not None

    def bericht(self, sozialraum_id: int | None) -> Lenkungsberichtstand | None:
        """Der Stand des Berichts eines Sozialraums (None, wenn es ihn nicht gibt)."""
        return next((b for b in self.lenkungsberichte if b.sozialraum_id == sozialraum_id), None)

    @property
    def ohne_bericht(self) -> list[str]:
        """Sozialräume, deren Bericht an die Lenkungsgruppe fehlt."""
        return [b.sozialraum for b in self.lenkungsberichte if not b.erstattet]

    def ohne_delegierte(self) -> list[str]:
        """Sozialräume, für die bei der gemeinsamen Reflexion keine delegierte Person eingetragen ist."""
        da = {d.get("sozialraum") for d in self.delegierte}
        return [b.sozialraum for b in self.lenkungsberichte if b.sozialraum not in da]


def pflichten_im_jahr(session: Session, jahr: int) -> Pflichten:
    """Was über `jahr` zu tun war und was davon dokumentiert ist: Reflexion (mit Delegierten), Sitzung der
    Lenkungsgruppe und je Sozialraum der Bericht der Teamleitung an die Lenkungsgruppe."""
    refl = {r.art: r for r in session.scalars(select(m.Reflexion).where(m.Reflexion.jahr == int(jahr)))}
    gemeinsam, lenkung = refl.get(werte.REFLEXION_GEMEINSAM), refl.get(werte.REFLEXION_LENKUNGSGRUPPE)
    berichte = {b.sozialraum_id: b for b in session.scalars(
        select(m.Lenkungsbericht).where(m.Lenkungsbericht.jahr == int(jahr)))}
    stand = []
    for sr_id, name in session.execute(select(m.Sozialraum.id, m.Sozialraum.name).order_by(m.Sozialraum.reihenfolge,
                                                                                           m.Sozialraum.id)):
        b = berichte.get(sr_id)
        stand.append(Lenkungsberichtstand(sr_id, name, b.datum if b else None, b.erstattet_von if b else None))
    return Pflichten(jahr=int(jahr), reflexion_am=gemeinsam.datum if gemeinsam else None,
                     delegierte=tuple(dict(d) for d in (gemeinsam.delegierte or [])) if gemeinsam else (),
                     lenkungsgruppe_am=lenkung.datum if lenkung else None, lenkungsberichte=tuple(stand))
