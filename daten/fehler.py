"""Die wenigen Ausnahmen, die Nutzerinnen und Nutzer zu sehen bekommen (Text immer deutsch)."""


class RessourcenkarteFehler(Exception):
    """Basis: die Meldung ist ein vollständiger deutscher Satz mit Hinweis, was zu tun ist."""


class KonfigurationsFehler(RessourcenkarteFehler):
    """Kommune-Konfiguration oder Einstellungen sind ungültig."""


class DatenbankFehler(RessourcenkarteFehler):
    """Datenbank nicht erreichbar, Schema fehlt oder eine Anweisung schlug fehl."""


class SperrFehler(DatenbankFehler):
    """Die Datenbank ist vorübergehend gesperrt (SQLite-Schreibsperre, PostgreSQL-Deadlock); ein neuer
    Versuch kann gelingen – nichts wurde geschrieben."""


class EingabeFehler(RessourcenkarteFehler):
    """Eingabedatei oder Formularwert ist ungültig (Datei/Zeile/Feld stehen in der Meldung)."""


class RechteFehler(RessourcenkarteFehler):
    """Die angemeldete Person darf diese Änderung nicht vornehmen."""


class KonfliktFehler(RessourcenkarteFehler):
    """Der Datensatz wurde inzwischen von jemand anderem geändert (Versionskonflikt)."""


class AnmeldeFehler(RechteFehler):
    """Anmeldung abgelehnt (falsches Passwort, unbekanntes Konto, Sperre nach Fehlversuchen)."""

    def __init__(self, meldung: str, *, warten_s: int = 0) -> None:
        super().__init__(meldung)
        self.warten_s = warten_s


_OS_MELDUNGEN = {
    PermissionError: "Keine Berechtigung für {pfad}. Bitte Dateirechte prüfen oder einen anderen Pfad angeben.",
    IsADirectoryError: "{pfad} ist ein Ordner. Bitte einen Dateinamen angeben.",
    NotADirectoryError: "{pfad}: Ein Teil des Pfads ist eine Datei, kein Ordner. Bitte den Pfad prüfen.",
    FileNotFoundError: "{pfad} gibt es nicht. Bitte den Pfad prüfen.",
    OSError: "Datei {pfad} konnte nicht gelesen oder geschrieben werden ({grund}). Bitte Pfad und Speicherplatz "
             "prüfen.",
}


def als_meldung(exc: BaseException) -> str | None:
    """Deutsche Meldung für bekannte Fehler außerhalb der Anwendung (Dateisystem, Koordinatensysteme), sonst None."""
    if isinstance(exc, OSError):
        pfad = exc.filename or "die Datei"
        for art, text in _OS_MELDUNGEN.items():
            if isinstance(exc, art):
                return text.format(pfad=pfad, grund=exc.strerror or type(exc).__name__)
    if type(exc).__name__ == "DataSourceError":  # pyogrio/GDAL: Datei nicht zu öffnen oder zu schreiben
        return (f"Datei konnte nicht geöffnet oder geschrieben werden ({str(exc).splitlines()[0][:160]}). "
                "Bitte Pfad, Berechtigung und Speicherplatz prüfen.")
    if type(exc).__name__ == "CRSError":
        return (f"Unbekanntes Koordinatenbezugssystem ({str(exc).splitlines()[0][:120]}). Bitte einen gültigen "
                "EPSG-Code angeben, z. B. 4326 oder 25832.")
    return None
