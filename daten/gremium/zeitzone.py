"""VTIMEZONE (RFC 5545, 3.6.5) aus einer IANA-Zeitzone: je Art (STANDARD/DAYLIGHT) eine Komponente mit RRULE.

Outlook verschiebt Termine in der Sommerzeit, wenn die Zeitzone als Liste einzelner Übergänge (RDATE) kommt;
mit einer jährlichen Regel (z. B. „letzter Sonntag im März“) rechnet jeder Kalender richtig. Die Regel wird aus
den Übergängen der Zeitzone im Jahr des Termins abgeleitet (zoneinfo), nicht für eine Stadt hart kodiert.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

_TAGE = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BEZUGSJAHR = 1970  # übliches DTSTART der Regel (so schreiben es auch Outlook und tzurl.org)


def _uebergaenge(zone: ZoneInfo, jahr: int) -> list[datetime]:
    """Die Zeitpunkte (UTC) im `jahr`, ab denen ein anderer UTC-Abstand gilt."""
    funde = []
    t = datetime(jahr, 1, 1, tzinfo=UTC)
    ende = datetime(jahr + 1, 1, 1, tzinfo=UTC)
    while t < ende:
        naechster = t + timedelta(days=1)
        if t.astimezone(zone).utcoffset() != naechster.astimezone(zone).utcoffset():
            u = t
            while u.astimezone(zone).utcoffset() == t.astimezone(zone).utcoffset():
                u += timedelta(minutes=15)
            funde.append(u)
        t = naechster
    return funde


def _regel(tag: date) -> tuple[dict[str, Any], int]:
    """(RRULE, Tag im Monat des Bezugsjahres) für den Wochentag von `tag`: n-ter oder letzter im Monat."""
    wochentag = _TAGE[tag.weekday()]
    letzter = calendar.monthrange(tag.year, tag.month)[1]
    n = -1 if tag.day + 7 > letzter else (tag.day - 1) // 7 + 1
    wochen = calendar.monthcalendar(_BEZUGSJAHR, tag.month)
    tage = [w[tag.weekday()] for w in wochen if w[tag.weekday()]]
    return {"FREQ": "YEARLY", "BYMONTH": tag.month, "BYDAY": f"{n}{wochentag}"}, tage[n if n < 0 else n - 1]


def vtimezone(name: str, jahr: int) -> Any:
    """Die VTIMEZONE-Komponente (icalendar.Timezone) für die Zone `name`, mit Regeln aus dem Jahr `jahr`."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(name)
    tz = Timezone()
    tz.add("tzid", name)
    uebergaenge = _uebergaenge(zone, jahr)
    if not uebergaenge:  # Zone ohne Sommerzeit: eine STANDARD-Komponente ohne Regel
        jetzt = datetime(jahr, 1, 1, tzinfo=UTC).astimezone(zone)
        teil = TimezoneStandard()
        teil.add("dtstart", datetime(_BEZUGSJAHR, 1, 1))
        teil.add("tzoffsetfrom", jetzt.utcoffset())
        teil.add("tzoffsetto", jetzt.utcoffset())
        teil.add("tzname", jetzt.tzname())
        tz.add_component(teil)
        return tz
    for u in uebergaenge:
        vorher = (u - timedelta(minutes=15)).astimezone(zone)
        nachher = u.astimezone(zone)
        ortszeit = (u + vorher.utcoffset()).replace(tzinfo=None)  # Wanduhr im alten Abstand (RFC 5545)
        rrule, tag_bezug = _regel(ortszeit.date())
        teil = TimezoneDaylight() if nachher.dst() else TimezoneStandard()
        teil.add("dtstart", datetime(_BEZUGSJAHR, ortszeit.month, tag_bezug, ortszeit.hour, ortszeit.minute))
        teil.add("tzoffsetfrom", vorher.utcoffset())
        teil.add("tzoffsetto", nachher.utcoffset())
        teil.add("tzname", nachher.tzname())
        teil.add("rrule", rrule)
        tz.add_component(teil)
    return tz
