"""What the engine concludes: frozen results the reporters render."""

from __future__ import annotations

from ai_governance.records import NamedTuple


class Finding(NamedTuple):
    path: str | None = None
    line: int | None = None
    commit: str | None = None
    message: str = ""
    fix: str | None = None
    code: str | None = None  # what inside the rule found it, e.g. a Bandit test id
    severity: str | None = None  # low | medium | high, where the finding has one
    blocking: bool = True  # False: shown for review, does not fail the rule

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path or "", self.line or 0, self.commit or "", self.message)


class Evidence(NamedTuple):
    marker: str
    tool: str
    where: str
    commit: str | None = None


class Outcome(NamedTuple):
    """What a rule kind's ``check`` returns, before modes and exceptions apply."""

    status: str  # passed | failed | skipped | error
    reason: str
    findings: tuple[Finding, ...] = ()


class RuleResult(NamedTuple):
    rule: str
    kind: str
    mode: str
    status: str  # passed | failed | warned | skipped | error
    reason: str
    findings: tuple[Finding, ...] = ()


class Report(NamedTuple):
    policy: str
    source: str
    stage: str
    ai_assisted: bool
    evidence: tuple[Evidence, ...]
    results: tuple[RuleResult, ...]
    notices: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """``error`` or ``fail`` when an enforced rule errs or fails: never a silent pass."""
        return self.status_at("error")

    def status_at(self, fail_on: str) -> str:
        """The verdict when failing on ``error`` (enforced rules) or on ``warning`` (every
        rule that ran: a warn-mode rule that could not verify is an error, not a pass)."""
        counted = [r.status for r in self.results if fail_on == "warning" or r.mode == "enforce"]
        if "error" in counted:
            return "error"
        return "fail" if {"failed", "warned"} & set(counted) else "pass"

    @property
    def exit_code(self) -> int:
        return 0 if self.status == "pass" else 1
