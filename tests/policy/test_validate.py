"""`ai-governance validate`: exit 2 with file:line:column, the key path and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_governance.cli import main

HEAD = "version: 1\nname: t\n"
CASES = {
    "unquoted-off": (
        HEAD + "mode: off\nrules: []\n",
        "p.yml:3:7: mode: YAML reads the unquoted `off` as False; quote it ('off') to mean the"
        " text (False is not allowed; allowed: enforce, warn, off)",
    ),
    "near-miss-key": (
        HEAD + "rules:\n  - id: b\n    kind: security-scan\n    severty: high\n",
        "p.yml:6:5: rules[0].severty: unknown key `severty`; did you mean `severity`? allowed:"
        " ai_assisted, confidence, description, exclude_paths, id, kind, max_file_bytes, mode,"
        " new_only, on_error, overridable, scanner, scope, severity, skips, tests, timeout_seconds,"
        " when",
    ),
    "unknown-kind": (
        HEAD + "rules:\n  - id: b\n    kind: secret-scan\n",
        "p.yml:5:11: rules[0].kind: 'secret-scan' is not allowed; allowed: disclosure, review,"
        " security-scan",
    ),
    "bad-regex": (
        HEAD + "rules:\n  - id: d\n    kind: disclosure\n    value: '^(unclosed'\n",
        "p.yml:6:12: rules[0].value: invalid regular expression '^(unclosed': missing ),"
        " unterminated subpattern at position 1",
    ),
    "bad-marker-regex": (
        HEAD + "detect:\n  markers:\n    - {id: m, identity: '[bot'}\nrules: []\n",
        "p.yml:5:25: detect.markers[0].identity: invalid regular expression '[bot': unterminated"
        " character set at position 0",
    ),
    "bad-glob": (
        HEAD + "rules:\n  - id: d\n    kind: disclosure\n    when: {paths: ['src/[auth']}\n",
        "p.yml:6:20: rules[0].when.paths[0]: invalid glob 'src/[auth': unclosed `[` at"
        " character 5",
    ),
    "absolute-glob": (
        HEAD + "rules:\n  - id: d\n    kind: disclosure\n    scope: {paths: [/etc]}\n",
        "p.yml:6:21: rules[0].scope.paths[0]: invalid glob '/etc': use a path relative to the"
        " repository root, with `/` separators",
    ),
    "duplicate-rule-id": (
        HEAD + "rules:\n  - id: d\n    kind: disclosure\n  - id: d\n    kind: review\n",
        "p.yml:6:9: rules[1].id: duplicate rule id 'd' (first at rules[0])",
    ),
    "exception-names-unknown-rule": (
        HEAD + "rules:\n  - id: d\n    kind: disclosure\nexceptions:\n  - rules: [bandit]\n"
        "    reason: r\n    approved_by: me\n    expires: 2027-03-31\n",
        "p.yml:7:13: exceptions[0].rules[0]: unknown rule id 'bandit'; rules: d",
    ),
    "impossible-date": (
        HEAD + "rules: []\nexceptions:\n  - rules: [x]\n    reason: r\n    approved_by: me\n"
        "    expires: 2027-02-30\n",
        "p.yml:8:14: exceptions[0].expires: '2027-02-30' is not a real date (YYYY-MM-DD)",
    ),
    "unknown-team": (
        HEAD + "teams:\n  pilot: [alice]\nrules:\n  - id: r\n    kind: review\n"
        "    from_teams: [security]\n",
        "p.yml:8:18: rules[0].from_teams[0]: unknown team 'security'; teams: pilot",
    ),
    "rollout-team": (
        HEAD + "rollout:\n  - {teams: [pilot], mode: warn}\nrules: []\n",
        "p.yml:4:14: rollout[0].teams[0]: unknown team 'pilot'; teams: none are defined under"
        " `teams`",
    ),
    "marker-without-matcher": (
        HEAD + "detect:\n  markers:\n    - {id: m, tool: X}\nrules: []\n",
        "p.yml:5:7: detect.markers[0]: a marker needs at least one of: trailer, identity,"
        " author_name, author_email, committer_name, committer_email, message, subject, env",
    ),
    "wrong-type": (
        HEAD + "rules:\n  - id: r\n    kind: review\n    approvals: two\n",
        "p.yml:6:16: rules[0].approvals: must be a whole number, not text ('two')",
    ),
    "bad-team-member": (
        HEAD + "teams:\n  pilot: ['not a login']\nrules: []\n",
        "p.yml:4:11: teams.pilot[0]: 'not a login' does not match"
        " /^(@[A-Za-z0-9-]+/[A-Za-z0-9_.-]+|[^@\\s]+@[^@\\s]+|[A-Za-z0-9][A-Za-z0-9-]*(\\[bot\\])?)$/"
        " (A GitHub login, an email address, or a GitHub team as @org/slug.)",
    ),
    "duplicate-key": (
        HEAD + "rules: []\nrules: []\n",
        "p.yml:4:1: duplicate key 'rules' (first at line 3, column 1)",
    ),
}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_policy_exits_2_with_location(
    case: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, expected = CASES[case]
    (in_tmp / "p.yml").write_text(text)
    assert main(["validate", "p.yml"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{expected}\nai-governance: 1 policy problem(s); nothing was judged\n"


def test_every_problem_is_listed_in_file_order(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "p.yml").write_text("version: 2\nmode: strict\nrules: []\n")
    assert main(["validate", "p.yml"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "p.yml:1:1: (top level): missing required key `name`",
        "p.yml:1:10: version: 2 is not allowed; it must be 1",
        "p.yml:2:7: mode: 'strict' is not allowed; allowed: enforce, warn, off",
        "ai-governance: 3 policy problem(s); nothing was judged",
    ]


def test_valid_policies_and_missing_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "ok.yml").write_text(HEAD + "rules:\n  - {id: d, kind: disclosure}\n")
    assert main(["validate", "ok.yml"]) == 0
    assert capsys.readouterr().out == "ok.yml: valid policy `t` (1 rules)\n"
    assert main(["validate", "ok.yml", "gone.yml"]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "ai-governance: usage error: gone.yml: cannot read the policy: No such file or directory\n"
    )


def test_default_is_the_embedded_policy(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == (
        "<embedded default policy>: valid policy `ai-governance-default` (3 rules)\n"
    )
