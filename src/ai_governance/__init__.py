"""ai-governance: policy as code for AI-assisted changes."""

__version__ = "0.1.0"
