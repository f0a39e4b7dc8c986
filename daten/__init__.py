"""Datenschicht der Sozialraum-Ressourcenkarte: Konfiguration, Modelle, Speicher, Import/Export."""
