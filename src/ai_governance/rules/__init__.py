"""The registry of rule kinds: adding a kind is its module, one line here, the schema."""

from __future__ import annotations

from ai_governance.rules import disclosure, review, security_scan
from ai_governance.rules.context import RuleKind

RULES: dict[str, RuleKind] = {
    "disclosure": disclosure,
    "review": review,
    "security-scan": security_scan,
}
