"""Früherer Ort von `Akteur`, `ROLLEN` und `SYSTEM`: sie stehen jetzt in `daten.politik` (eine erklärte Politik).

Dieser Name bleibt für bestehende Skripte (Abnahme, Betrieb) erhalten; neuer Code importiert `daten.politik`.
"""

from daten.politik import ROLLEN, SYSTEM, Akteur

__all__ = ["ROLLEN", "SYSTEM", "Akteur"]
