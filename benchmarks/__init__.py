"""Benchmarks: each measures our command and its floor or peers in the same run."""
