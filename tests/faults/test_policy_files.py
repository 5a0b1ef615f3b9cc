"""Fault battery: policy files that are empty, binary, hostile or huge.

Each is given to ``validate`` and to ``check --policy`` on a real repository. Both exit 2
with the exact problems on stderr, ``check`` judges nothing, and nothing in the repository
changes.
"""

from __future__ import annotations

import pytest
from conftest import Repo, git

from ai_governance.cli import main

ALIAS_BOMB = b"""\
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
"""
VALID = b"version: 1\nname: p\nrules:\n  - id: r\n    kind: disclosure\n"
MISSING = "P:1:1: (top level): missing required key"

CASES: dict[str, tuple[bytes, list[str]]] = {
    "empty": (
        b"",
        [
            "P:1:1: the policy is empty; write one (docs/policy.md) or remove the file to use"
            " the embedded default policy"
        ],
    ),
    "only-blanks-and-comments": (
        b"\n  \n# nothing\n",
        [
            "P:1:1: the policy is empty; write one (docs/policy.md) or remove the file to use"
            " the embedded default policy"
        ],
    ),
    "braces": (b"{}\n", [f"{MISSING} `name`", f"{MISSING} `rules`", f"{MISSING} `version`"]),
    "a-list": (b"- version: 1\n", ["P:1:1: (top level): must be a mapping, not a list"]),
    "binary": (
        b"\x7fELF\x02\x01\x01\x00\x00\x00\xd0\x8f",
        ["P:1:8: binary, not text (a NUL byte)"],
    ),
    "invalid-utf-8": (
        b"version: 1\nname: caf\xe9\n",
        ["P:2:10: not UTF-8 text (byte 0xe9 cannot be decoded)"],
    ),
    "utf-16": (
        "version: 1\n".encode("utf-16"),
        ["P:1:4: binary, not text (a NUL byte)"],
    ),
    "multi-document": (
        VALID + b"---\n" + VALID,
        ["P:6:1: only one YAML document is allowed per policy"],
    ),
    "tabs": (
        b"version: 1\nname: p\nrules:\n\t- id: r\n",
        [
            "P:4:1: invalid YAML: found character that cannot start any token"
            " (a tab: YAML indents with spaces)"
        ],
    ),
    "deep-flow-sequences": (
        b"version: 1\nname: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        ["P:2:1006: invalid YAML: exceeded maximum nesting depth"],
    ),
    "deep-flow-mappings": (
        b"version: 1\nname: " + b"{a: " * 5000 + b"}" * 5000 + b"\n",
        ["P:2:131: nesting deeper than 32 levels"],
    ),
    "python-tag": (
        b'version: !!python/object/apply:os.system ["touch pwned"]\n',
        ["P:1:10: tags are not allowed (tag:yaml.org,2002:python/object/apply:os.system)"],
    ),
    "integer-key": (
        VALID + b"1: x\n",
        ["P:6:1: key '1' is read by YAML as 1, not text: quote it"],
    ),
    "nan": (
        b"version: .nan\nname: p\nrules: []\n",
        ["P:1:10: version: nan is not allowed; it must be 1"],
    ),
    "duplicate-key": (
        VALID + b"rules: []\n",
        ["P:6:1: duplicate key 'rules' (first at line 3, column 1)"],
    ),
    "yaml-1.1-off-and-octal": (
        b"version: 1\nname: p\nmode: off\nrules:\n  - id: r\n    kind: review\n"
        b"    approvals: 0755\n",
        [
            "P:3:7: mode: YAML reads the unquoted `off` as False; quote it ('off') to mean the"
            " text (False is not allowed; allowed: enforce, warn, off)",
            "P:7:16: rules[0].approvals: YAML reads the unquoted `0755` as 493; quote it"
            " ('0755') to mean the text (493 is greater than the maximum of 50)",
        ],
    ),
    "yaml-1.1-sexagesimal": (
        VALID + b"    value: 1:20\n",
        [
            "P:6:12: rules[0].value: YAML reads the unquoted `1:20` as 80; quote it ('1:20')"
            " to mean the text (must be text, not a whole number (80))"
        ],
    ),
    "not-a-real-date": (
        VALID + b"exceptions:\n  - rules: [r]\n    paths: [a]\n    approved_by: x\n"
        b"    expires: 2026-13-01\n    reason: x\n",
        ["P:10:14: exceptions[0].expires: '2026-13-01' is not a real date (YYYY-MM-DD)"],
    ),
    "invalid-regex": (
        VALID + b'    value: "(unclosed"\n',
        [
            "P:6:12: rules[0].value: invalid regular expression '(unclosed': missing ),"
            " unterminated subpattern at position 0"
        ],
    ),
    "over-the-size-cap": (
        b"version: 1\n" + b"#" * (1024 * 1024),
        ["P:1:1: file is 1048587 bytes, over the cap of 1048576"],
    ),
}


@pytest.fixture
def committed(repo: Repo) -> Repo:
    repo.commit("Add a file\n", files={"a.py": "print(1)\n"})
    return repo


def _tree(repo: Repo) -> tuple[str, str]:
    return git(repo.path, "status", "--porcelain", "--ignored"), git(repo.path, "ls-files", "-s")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_policy_is_refused_with_its_location(
    committed: Repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    raw, problems = CASES[case]
    policy = committed.path.parent / "policy.yml"
    policy.write_bytes(raw)
    monkeypatch.chdir(committed.path)
    before = _tree(committed)
    expected = (
        "".join(f"{p.replace('P:', f'{policy}:', 1)}\n" for p in problems)
        + f"ai-governance: {len(problems)} policy problem(s); nothing was judged\n"
    )
    assert main(["validate", str(policy)]) == 2
    assert capsys.readouterr() == ("", expected)
    assert main(["check", "--policy", str(policy), "--range", "HEAD"]) == 2
    assert capsys.readouterr() == ("", expected)
    assert (_tree(committed), policy.read_bytes()) == (before, raw)


def test_alias_bomb_is_refused_at_the_first_anchor_without_expanding(
    committed: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = committed.write("bomb.yml", ALIAS_BOMB)
    assert main(["validate", str(policy)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[:2] == [
        f"{policy}:1:4: anchors are not allowed (&a)",
        f"{policy}:2:4: anchors are not allowed (&b)",
    ]
    assert (len(lines), lines[-1]) == (
        42,
        "ai-governance: 41 policy problem(s); nothing was judged",
    )


def test_byte_order_mark_is_read_as_utf_8(
    committed: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = committed.write("bom.yml", b"\xef\xbb\xbf" + VALID)
    assert main(["validate", str(policy)]) == 0
    assert capsys.readouterr().out == f"{policy}: valid policy `p` (1 rules)\n"


def test_ten_thousand_rules_are_all_evaluated(
    committed: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = "".join(f"  - id: r{n:05}\n    kind: disclosure\n" for n in range(10_000))
    policy = committed.write("many.yml", f"version: 1\nname: many\nrules:\n{rules}")
    monkeypatch.chdir(committed.path)
    assert main(["validate", str(policy)]) == 0
    assert capsys.readouterr().out == f"{policy}: valid policy `many` (10000 rules)\n"
    assert main(["check", "--policy", str(policy), "--range", "HEAD"]) == 0
    out = capsys.readouterr().out.splitlines()
    passed = [line for line in out if line.startswith("PASS  r")]
    assert (len(passed), passed[0], out[-1]) == (
        10_000,
        "PASS  r00000 (disclosure, enforce): no AI assistance found in 1 commit(s)",
        "result: passed (exit 0)",
    )


def test_repository_policy_that_is_bad_fails_the_hook_closed(
    committed: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken ``.ai-governance.yml`` never falls back to the embedded default."""
    committed.write(".ai-governance.yml", b"version: 1\nmode: off\n")
    message = committed.write("MSG", "Add\n")
    monkeypatch.chdir(committed.path)
    assert main(["hook", "commit-msg", str(message)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{committed.path / '.ai-governance.yml'}:")
    assert err.endswith("nothing was judged\n")
