"""Guardrails for coding agents: their pre-tool hooks ask before a shell command runs."""
