"""Scanners the security-scan rule can run; each is a module with ``scan``."""
