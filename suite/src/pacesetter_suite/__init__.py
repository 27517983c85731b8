"""Launchers for the whole suite. Not a service: it only wires the services' own factories."""
