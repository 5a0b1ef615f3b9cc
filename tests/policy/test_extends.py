"""One central policy that repositories can only tighten (`extends`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Repo, git, judge

CENTRAL = """version: 1
name: acme-central
mode: enforce
teams:
  security: [carol]
rules:
  - id: ai-disclosure
    kind: disclosure
  - id: ai-review
    kind: review
    approvals: 2
    independent: true
  - id: bandit
    kind: security-scan
    severity: medium
    overridable: [exclude_paths]
"""
WEAKER = """version: 1
name: payments
extends: [../org/central.yml]
mode: warn
teams:
  security: [mallory]
  pilot: [alice]
rules:
  - id: ai-review
    kind: review
    approvals: 1
    independent: false
  - id: bandit
    kind: security-scan
    severity: high
    new_only: true
    exclude_paths: ["tests/**"]
  - id: ai-disclosure
    kind: disclosure
    when: {ai_assisted: false}
exceptions:
  - {rules: [ai-disclosure], reason: legacy, approved_by: me, expires: 2030-01-01}
"""
STRICTER = """version: 1
name: payments
extends: [../org/central.yml]
teams:
  pilot: [alice]
rules:
  - id: ai-review
    kind: review
    approvals: 3
  - id: bandit
    kind: security-scan
    severity: low
    exclude_paths: ["tests/**"]
  - id: payments-own
    kind: disclosure
    trailer: Generated-by
"""


def _layout(tmp_path: Path, own: str) -> Path:
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "central.yml").write_text(CENTRAL)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "policy.yml").write_text(own)
    return tmp_path / "repo" / "policy.yml"


def test_every_weakening_is_an_error_naming_the_inherited_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = _layout(tmp_path, WEAKER)
    c = tmp_path / "org" / "central.yml"  # named as it is, though reached through ../
    assert judge(tmp_path, "validate", str(own))[0] == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{own}:4:7: mode: lowers the mode from enforce to warn (inherited from {c}:3:7)",
        f"{own}:6:13: teams.security: redefines the inherited team 'security' (inherited from"
        f" {c}:5:13)",
        f"{own}:20:11: rules[2].when: changes the inherited `when` (inherited from {c}:7:5)",
        f"{own}:11:16: rules[0].approvals: lowers approvals from 2 to 1 (inherited from"
        f" {c}:11:16)",
        f"{own}:12:18: rules[0].independent: turns independent off (inherited from {c}:12:18)",
        f"{own}:15:15: rules[1].severity: raises the severity threshold from medium to high"
        f" (inherited from {c}:15:15)",
        f"{own}:13:5: rules[1].ai_assisted.severity: raises the ai severity threshold from"
        f" medium to high (inherited from {c}:13:5)",
        f"{own}:16:15: rules[1].new_only: reports only new findings where all were reported"
        f" (inherited from {c}:13:5)",
        f"{own}:22:14: exceptions[0].rules[0]: an exception to the inherited rule"
        f" 'ai-disclosure' (inherited from {c}:7:3)",
        "ai-governance: 9 policy problem(s); nothing was judged",
    ]


def test_a_stricter_policy_is_the_merge_and_check_judges_by_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = _layout(tmp_path, STRICTER)
    code, lines = judge(tmp_path, "validate", "--effective", str(own))
    assert (code, lines) == (
        0,
        [
            f"{own}: the effective policy, each rule where it is stated:",
            f"  rule ai-disclosure: {tmp_path}/org/central.yml:7:5",
            f"  rule ai-review: {own}:7:5",
            f"  rule bandit: {own}:10:5",
            f"  rule payments-own: {own}:14:5",
            f"{own}: valid policy `payments` (4 rules)",
        ],
    )
    from ai_governance.policy import load

    policy = load.load(str(own), None)
    review = next(r for r in policy.rules if r.id == "ai-review")
    assert (review.options.approvals, review.options.independent) == (3, True)  # type: ignore[attr-defined]
    assert [g.text for g in policy.rules[2].scope.exclude_paths] == ["tests/**"]
    assert sorted(policy.teams) == ["pilot", "security"]


@pytest.mark.parametrize(
    ("files", "error"),
    [
        (
            {"a.yml": "extends: [./b.yml]", "b.yml": "extends: [./a.yml]"},
            "b.yml:3:11: extends[0]: ./a.yml extends this policy again (a cycle)",
        ),
        ({"a.yml": "extends: [./gone.yml]"}, "a.yml: extends ./gone.yml: cannot read gone.yml"),
        (
            {f"p{i}.yml": f"extends: [./p{i + 1}.yml]" for i in range(5)} | {"p5.yml": ""},
            "p3.yml:3:11: extends[0]: more than 4 policies deep",
        ),
    ],
)
def test_cycles_depth_and_missing_files_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], error: str
) -> None:
    for name, extra in files.items():
        (tmp_path / name).write_text(f"version: 1\nname: {name[:-4]}\n{extra}\nrules: []\n")
    first = sorted(files)[0]
    assert judge(tmp_path, "validate", first)[0] == 2
    assert error in capsys.readouterr().err


def test_the_action_reads_what_a_policy_extends_from_the_base_commit(repo: Repo) -> None:
    from ai_governance.commands import pull_request
    from ai_governance.gather import local

    repo.write("org/central.yml", CENTRAL)
    repo.write(".ai-governance.yml", STRICTER.replace("../org/central.yml", "org/central.yml"))
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-qm", "Policies")
    base = repo.head()
    weaker = CENTRAL.replace("approvals: 2", "approvals: 0")
    repo.commit("Loosen the central policy", files={"org/central.yml": weaker})
    extended: list[str] = []
    policy = pull_request.base_policy(None, base, str(repo.path), extended)
    review = next(r for r in policy.rules if r.id == "ai-review")
    assert review.options.approvals == 3  # type: ignore[attr-defined]
    assert extended == ["org/central.yml"]
    change = local.from_range(f"{base}..HEAD", str(repo.path))
    assert pull_request.policy_notices(None, change, None, tuple(extended)) == (
        "this change touches the policy file org/central.yml; it was judged by the policy of"
        " the base commit, and the change needs the policy owners' review",
    )


def test_a_change_to_the_extended_policy_is_seen_at_once(tmp_path: Path) -> None:
    """The cache entry of a policy that extends another holds that file's bytes too and is
    used only while the file still holds them: the central policy's edit applies on the
    next run, and an unchanged chain is read from the cache."""
    from ai_governance.policy import load

    own = _layout(tmp_path, STRICTER)
    assert len(load.load(str(own), None).rules) == 4
    central = tmp_path / "org" / "central.yml"
    from ai_governance.folders import cache_dir

    cached = list((Path(cache_dir())).glob("*.marshal"))
    assert len(cached) == 1
    assert len(load.load(str(own), None).rules) == 4  # from the cache entry
    central.write_text(CENTRAL + "  - id: extra\n    kind: disclosure\n    trailer: X-AI\n")
    assert [r.id for r in load.load(str(own), None).rules][-2:] == ["extra", "payments-own"]


@pytest.mark.parametrize(
    ("central", "own", "error"),
    [
        (
            "rollout:\n  - {mode: enforce}\n",
            "rollout:\n  - {mode: warn}\n",
            "rollout: replaces the inherited rollout",
        ),
        ("", "rollout:\n  - {mode: warn}\n", "rollout[0].mode: a step in warn mode under a"),
        ("", "detect:\n  builtin: false\n", "detect.builtin: turns the shipped marker catalogue"),
        (
            "people:\n  carol: [carol@acme.com]\n",
            "people:\n  carol: [mallory@evil.example]\n",
            "people.carol: redefines the inherited person 'carol'",
        ),
        ("", "rules:\n  - {id: d, kind: review}\n", "rules[0].kind: changes the kind from"),
        (
            "",
            "rules:\n  - {id: d, kind: disclosure, trailer: Generated-by, mode: warn}\n",
            "rules[0].mode: lowers the mode from enforce",
        ),
        ("", "rules:\n  - {id: d, kind: disclosure, overridable: [mode]}\n", "`overridable`"),
        ("", "rules:\n  - {id: r, kind: review, bot_approvers: ['x[bot]']}\n", "more bots"),
        ("", "rules:\n  - {id: s, kind: security-scan, on_error: warn}\n", "unscannable files"),
        ("", "rules:\n  - {id: s, kind: security-scan, skips: [B101]}\n", "skips more"),
        ("", "rules:\n  - {id: s, kind: security-scan, tests: [B602]}\n", "fewer Bandit"),
        ("", "rules:\n  - {id: s, kind: security-scan, timeout_seconds: 1}\n", "changes timeout"),
    ],
)
def test_each_kind_of_weakening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], central: str, own: str, error: str
) -> None:
    base_rules = (
        "rules:\n  - {id: d, kind: disclosure}\n  - {id: r, kind: review}\n"
        "  - {id: s, kind: security-scan}\n"
    )
    (tmp_path / "central.yml").write_text(f"version: 1\nname: c\n{central}{base_rules}")
    body = own if own.startswith("rules") else own + "rules: []\n"
    (tmp_path / "own.yml").write_text(f"version: 1\nname: o\nextends: [central.yml]\n{body}")
    assert judge(tmp_path, "validate", "own.yml")[0] == 2
    assert error in capsys.readouterr().err


def test_two_central_policies_merge_in_order(tmp_path: Path) -> None:
    from ai_governance.policy import load

    (tmp_path / "a.yml").write_text(
        "version: 1\nname: a\nrules:\n  - {id: one, kind: disclosure}\n"
    )
    (tmp_path / "b.yml").write_text(
        "version: 1\nname: b\nrules:\n  - {id: two, kind: review, approvals: 2}\n"
    )
    (tmp_path / "own.yml").write_text(
        "version: 1\nname: own\nextends: [a.yml, b.yml]\nrules:\n  - {id: three, kind: disclosure,"
        " trailer: X-AI}\n"
    )
    assert [r.id for r in load.load(str(tmp_path / "own.yml"), None).rules] == [
        "one",
        "two",
        "three",
    ]


def test_the_action_never_takes_an_extended_policy_from_a_cache_of_the_checkout(
    repo: Repo,
) -> None:
    """A hook run in the same CI job caches the checkout's (the pull request's) central
    policy; the Action must still read the base commit's."""
    from ai_governance.commands import pull_request
    from ai_governance.policy import load

    own = STRICTER.replace("../org/central.yml", "org/central.yml").replace("approvals: 3", "")
    repo.write("org/central.yml", CENTRAL)
    repo.write(".ai-governance.yml", own)
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-qm", "Policies")
    base = repo.head()
    repo.commit(
        "Loosen", files={"org/central.yml": CENTRAL.replace("approvals: 2", "approvals: 0")}
    )
    from_checkout = load.load(None, str(repo.path))  # cached, with the loosened central file
    assert next(r for r in from_checkout.rules if r.id == "ai-review").options.approvals == 0  # type: ignore[attr-defined]
    policy = pull_request.base_policy(None, base, str(repo.path))
    assert next(r for r in policy.rules if r.id == "ai-review").options.approvals == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00garbage", b"\xfb\x01", None],
    ids=["empty", "garbage", "truncated", "another-shape"],
)
def test_a_corrupt_or_foreign_policy_cache_entry_is_a_miss(
    tmp_path: Path, content: bytes | None
) -> None:
    """The entry is read with marshal; whatever it holds, the policy is validated again
    and judged the same, and the entry is written anew."""
    import marshal

    from ai_governance.folders import cache_dir
    from ai_governance.policy import load

    own = _layout(tmp_path, STRICTER)
    fresh = load.load(str(own), None)
    (entry,) = Path(cache_dir()).glob("*.marshal")
    good = entry.read_bytes()
    if content is None:  # well-formed, but not an entry of this policy
        content = marshal.dumps({"of": "another policy", "data": {}, "catalogue": {}})
    entry.write_bytes(content)
    assert load.load(str(own), None) == fresh
    assert entry.read_bytes() == good
