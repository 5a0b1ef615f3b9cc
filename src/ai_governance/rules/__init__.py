"""The registry of rule kinds: adding a kind is its module, one line here, the schema."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping

from ai_governance.rules.context import RuleKind

_MODULES = {
    "disclosure": "ai_governance.rules.disclosure",
    "review": "ai_governance.rules.review",
    "security-scan": "ai_governance.rules.security_scan",
}


class _Registry(Mapping[str, RuleKind]):
    """Each kind's module, imported when a policy first uses the kind: a hook whose policy
    has no review rule does not import the review kind."""

    def __getitem__(self, kind: str) -> RuleKind:
        name = _MODULES[kind]
        __import__(name)  # not importlib: its package imports warnings, for every hook
        module: RuleKind = sys.modules[name]
        return module

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


RULES: Mapping[str, RuleKind] = _Registry()
