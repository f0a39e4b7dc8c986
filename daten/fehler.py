"""Die wenigen Ausnahmen, die Nutzerinnen und Nutzer zu sehen bekommen (Text immer deutsch)."""


class RessourcenkarteFehler(Exception):
    """Basis: die Meldung ist ein vollständiger deutscher Satz mit Hinweis, was zu tun ist."""


class KonfigurationsFehler(RessourcenkarteFehler):
    """Kommune-Konfiguration oder Einstellungen sind ungültig."""


class DatenbankFehler(RessourcenkarteFehler):
    """Datenbank nicht erreichbar, Schema fehlt oder eine Anweisung schlug fehl."""


class EingabeFehler(RessourcenkarteFehler):
    """Eingabedatei oder Formularwert ist ungültig (Datei/Zeile/Feld stehen in der Meldung)."""


class RechteFehler(RessourcenkarteFehler):
    """Die angemeldete Person darf diese Änderung nicht vornehmen."""


class KonfliktFehler(RessourcenkarteFehler):
    """Der Datensatz wurde inzwischen von jemand anderem geändert (Versionskonflikt)."""
