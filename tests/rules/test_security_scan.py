"""security-scan: the real Bandit on staged content, thresholds, new lines, nothing unscanned."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from typing import Any

import pytest
from conftest import FIXTURES, Repo, git, make_policy
from hypothesis import given
from hypothesis import strategies as st

from ai_governance.change import Change, ChangedFile
from ai_governance.cli import main
from ai_governance.engine import evaluate
from ai_governance.gather import local
from ai_governance.report import Finding, RuleResult
from ai_governance.rules import security_scan

DAY = datetime.date(2027, 1, 1)
RULE = "version: 1\nname: t\nrules:\n  - id: bandit\n    kind: security-scan\n{options}"
SHELL = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
B602 = (
    "B602 subprocess_popen_with_shell_equals_true: subprocess call with shell=True identified,"
    " security issue. (severity high, confidence high)"
)
B602_FIX = (
    "fix the code (https://bandit.readthedocs.io/en/1.9.4/plugins/"
    "b602_subprocess_popen_with_shell_equals_true.html); if it is safe, end the line with"
    " `# nosec B602` and say why"
)


def scan_staged(repo: Repo, options: str = "", paths: list[str] | None = None) -> RuleResult:
    policy = make_policy(RULE.format(options=options))
    change = local.from_staged(str(repo.path), paths=paths, max_bytes=1024 * 1024)
    return evaluate(policy, change, DAY).results[0]


def stage(repo: Repo, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        repo.write(name, content)
        git(repo.path, "add", "--", name)


def test_the_staged_content_is_judged_and_nothing_is_touched(chdir_repo: Repo) -> None:
    repo = chdir_repo
    repo.commit("Initial")
    stage(repo, {"app.py": SHELL})
    repo.write("app.py", "x = 1\n")  # an unstaged edit hides the finding in the working tree
    index, tree = (repo.path / ".git" / "index").read_bytes(), (repo.path / "app.py").read_bytes()
    status = git(repo.path, "status", "--porcelain")
    result = scan_staged(repo)
    assert result.findings == (
        Finding("app.py", 5, message=B602, fix=B602_FIX, code="B602", severity="high"),
    )
    assert main(["hook", "pre-commit", "app.py"]) == 1
    assert (repo.path / ".git" / "index").read_bytes() == index
    assert (repo.path / "app.py").read_bytes() == tree
    assert git(repo.path, "status", "--porcelain") == status


UNSCANNABLE = {
    "syntax.py": (b"def broken(:\n", "syntax error while parsing AST from file"),
    "latin1.py": (b"name = 'caf\xe9'\n", "syntax error while parsing AST from file"),
    "nul.py": (b"x = 1\x00\n", "syntax error while parsing AST from file"),
    "deep.py": (
        b"x = " + b"(" * 300 + b"1" + b")" * 300 + b"\n",
        "syntax error while parsing AST from file",
    ),
}
if sys.version_info < (3, 12):
    UNSCANNABLE["newer.py"] = (
        b"type Point = tuple[float, float]\n",
        "syntax error while parsing AST from file",
    )


@pytest.mark.parametrize("name", sorted(UNSCANNABLE))
def test_a_file_bandit_cannot_parse_is_an_error(repo: Repo, name: str) -> None:
    content, why = UNSCANNABLE[name]
    stage(repo, {name: content})
    result = scan_staged(repo)
    assert (result.status, result.findings) == (
        "error",
        (
            Finding(
                name,
                message=f"not scanned: Bandit could not check it ({why})",
                fix="make it valid Python the running interpreter can parse",
                code="scan-error",
            ),
        ),
    )


def test_on_error_warn_reports_without_blocking(repo: Repo) -> None:
    stage(repo, {"syntax.py": b"def broken(:\n"})
    result = scan_staged(repo, "    on_error: warn\n")
    assert result.status == "passed"
    assert result.findings[0].blocking is False


def test_over_the_size_cap_is_an_error(repo: Repo) -> None:
    stage(repo, {"big.py": "x = 1\n" * 100})
    policy = make_policy(RULE.format(options="    max_file_bytes: 100\n"))
    change = local.from_staged(str(repo.path), max_bytes=100)
    result = evaluate(policy, change, DAY).results[0]
    assert (result.status, result.findings[0].message) == (
        "error",
        "not scanned: 600 bytes, over the cap of 100",
    )


def test_a_scanner_crash_is_an_error(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from ai_governance.scanners import pool

    def crash(*args: object) -> None:
        raise MemoryError("out of memory")

    monkeypatch.setattr(pool, "scan_here", crash)
    stage(repo, {"app.py": SHELL})
    result = scan_staged(repo)
    assert (result.status, result.reason) == (
        "error",
        "Bandit crashed: MemoryError('out of memory') in the scanner process; no file was"
        " verified",
    )


def test_what_is_scanned_and_what_is_skipped_with_a_reason(repo: Repo) -> None:
    repo.commit("Initial", files={"old.py": SHELL, "gone.py": SHELL, "real.py": "x = 1\n"})
    git(repo.path, "mv", "old.py", "renamed.py")
    git(repo.path, "rm", "-q", "gone.py")
    (repo.path / "link.py").symlink_to("real.py")
    stage(
        repo,
        {
            "tool": "#!/usr/bin/env python3\nimport pickle\npickle.loads(b'')\n",
            "notes": "free text, not python\n",
            "blob": b"\x7fELF\x00\x01binary",
        },
    )
    git(repo.path, "add", "link.py")
    sub = Repo(repo.path.parent / "sub")
    sub.commit("sub")
    repo.add_submodule(sub, "vendor")
    result = scan_staged(repo, "    new_only: false\n")
    assert [(f.path, f.line, f.code, f.blocking) for f in result.findings] == [
        ("link.py", None, "not-scanned", False),
        ("renamed.py", 5, "B602", True),
        ("tool", 3, "B301", True),
        ("vendor", None, "not-scanned", False),
    ]
    assert [f.message for f in result.findings if not f.blocking] == [
        "not scanned: a symbolic link to real.py, which is scanned where it is",
        "not scanned: a submodule (scan it in its own repository)",
    ]
    assert result.reason == (
        "2 Python file(s) scanned at severity >= medium, confidence >= medium: 2 finding(s)"
    )


def test_thresholds_and_the_ai_assisted_override(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    stage(repo, {"checks.py": "def f(x):\n    assert x\n"})  # B101: severity low
    options = "    ai_assisted: {severity: low}\n"
    assert scan_staged(repo, options).status == "passed"
    monkeypatch.setenv("CLAUDE_CODE_CHILD_SESSION", "1")
    result = scan_staged(repo, options)
    assert (result.status, result.reason) == (
        "failed",
        (
            "1 Python file(s) scanned at severity >= low, confidence >= medium (stricter:"
            " AI-assisted): 1 finding(s)"
        ),
    )
    assert [f.code for f in result.findings] == ["B101"]
    assert scan_staged(repo, options + "    skips: [B101]\n").status == "passed"
    excluded = scan_staged(repo, options + "    exclude_paths: ['check*.py']\n")
    assert (excluded.status, excluded.reason) == (
        "skipped",
        "no changed file is inside the rule's scope",
    )
    assert scan_staged(repo, "    severity: low\n    tests: [B602]\n").status == "passed"


def test_new_only_judges_the_lines_the_change_adds(repo: Repo) -> None:
    old = "import pickle\n\n\ndef load(data):\n    return pickle.loads(data)\n"
    repo.commit("Initial", files={"app.py": old})
    stage(
        repo,
        {
            "app.py": old + "\n\ndef run(cmd):\n    import subprocess\n"
            "    return subprocess.call(cmd, shell=True)  # nosec B602\n"
            "\n\ndef again(cmd):\n    import subprocess\n"
            "    return subprocess.call(cmd, shell=True)\n"
        },
    )
    result = scan_staged(repo, "    new_only: true\n")
    assert [(f.line, f.code, f.blocking) for f in result.findings] == [
        (10, "nosec", False),
        (15, "B602", True),
    ]
    assert result.findings[0].message == "`# nosec` added: it hides Bandit findings on this line"
    everything = scan_staged(repo, "    new_only: false\n")
    assert [(f.line, f.code) for f in everything.findings if f.blocking] == [
        (5, "B301"),
        (15, "B602"),
    ]


def test_pre_commit_file_arguments_include_unchanged_files(repo: Repo) -> None:
    repo.commit("Initial", files={"old.py": SHELL})
    stage(repo, {"new.py": "x = 1\n"})
    result = scan_staged(repo, "    new_only: false\n", paths=["old.py", "new.py"])
    assert [(f.path, f.code) for f in result.findings] == [("old.py", "B602")]
    assert scan_staged(repo, "    new_only: true\n", paths=["old.py", "new.py"]).status == "passed"


def test_range_scans_the_head_commit(repo: Repo) -> None:
    base = repo.commit("Initial", files={"a.py": "x = 1\n"})
    repo.commit("Shell", files={"a.py": SHELL})
    repo.write("a.py", "x = 2\n")
    change = local.from_range(f"{base}..HEAD", str(repo.path), max_bytes=1 << 20)
    result = evaluate(make_policy(RULE.format(options="")), change, DAY).results[0]
    assert [(f.path, f.line, f.code) for f in result.findings] == [("a.py", 5, "B602")]


def test_no_bandit_import_when_no_python_file_changed(repo: Repo) -> None:
    stage(repo, {"README.md": "# hi\n"})
    code = (
        "import sys\nfrom ai_governance.cli import main\n"
        "code = main(['check', '--staged', '--format', 'json'])\n"
        "print(code, 'bandit' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.path, capture_output=True, text=True, check=False
    )
    assert done.stderr.strip() == "0 False"
    assert json.loads(done.stdout)["results"][2]["reason"] == (
        "0 Python file(s) scanned at severity >= medium, confidence >= medium: no finding"
        " introduced by the change"
    )


EXAMPLES = FIXTURES / "bandit-examples"


def test_same_findings_as_the_bandit_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bandit's own examples: the CLI's findings at each threshold are exactly ours."""
    from ai_governance.scanners import bandit, pool

    scans: list[bandit.Scan] = []
    real = pool.Pool.scan

    def scan_once(self: pool.Pool, *args: Any) -> bandit.Scan:  # once; the rule filters 3x
        scans[:] = scans or [real(self, *args)]
        return scans[0]

    monkeypatch.setattr(pool.Pool, "scan", scan_once)
    names = sorted(p.name for p in EXAMPLES.glob("*.py"))
    cli = subprocess.run(
        [sys.executable, "-m", "bandit", "-f", "json", "-q", *names],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(cli.stdout)
    everything = {
        (
            r["filename"].removeprefix("./"),
            r["line_number"],
            r["test_id"],
            r["issue_severity"].lower(),
            r["issue_confidence"].lower(),
        )
        for r in report["results"]
    }
    contents = {name: (EXAMPLES / name).read_bytes() for name in names}
    files = tuple(
        ChangedFile(name, "added", content=data, size=len(data), head=data.split(b"\n")[0])
        for name, data in contents.items()
    )
    for level in ("low", "medium", "high"):
        rank = ("low", "medium", "high").index(level)
        expected = {
            hit
            for hit in everything
            if min(
                ("low", "medium", "high").index(hit[3]), ("low", "medium", "high").index(hit[4])
            )
            >= rank
        }
        policy = make_policy(
            RULE.format(options=f"    severity: {level}\n    confidence: {level}\n")
        )
        result = evaluate(policy, Change("pre-commit", (), files), DAY).results[0]
        ours = {
            (f.path, f.line, f.code, f.severity, f.message.rsplit("confidence ", 1)[1][:-1])
            for f in result.findings
            if f.code not in ("scan-error", "nosec")
        }
        assert ours == expected, level
        assert len(ours) > 10
        errors = {f.path for f in result.findings if f.code == "scan-error"}
        assert errors == {e["filename"].removeprefix("./") for e in report["errors"]}


def test_parallel_scan_gives_the_sequential_result() -> None:
    from ai_governance.scanners import bandit, pool

    files = [
        (p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.py")) if p.name != "long_set.py"
    ]  # 9 s in Bandit alone; the CLI test covers it
    assert len(files) >= pool.PARALLEL_FROM
    with pool.Pool() as scanners:
        parallel = scanners.scan(files)
    bandit.import_quietly()
    sequential = bandit.scan_here(files, (), ())
    assert parallel.hits == tuple(
        sorted(sequential.hits, key=lambda h: (h.path, h.line, h.test_id))
    )
    assert parallel.errors == tuple(sorted(sequential.errors))


def test_commit_msg_stage_leaves_the_scan_to_pre_commit() -> None:
    result = evaluate(make_policy(RULE.format(options="")), Change("commit-msg"), DAY).results[0]
    assert (result.status, result.reason) == (
        "skipped",
        "the scan runs in the pre-commit stage, on the staged files",
    )


def test_options_defaults() -> None:
    options = security_scan.parse({}, lambda key, text: __import__("re").compile(text))
    assert options == security_scan.Options(
        "medium", "medium", "medium", "medium", (), (), False, "fail", 1024 * 1024, 300.0
    )


def test_commit_msg_scans_only_where_ai_thresholds_are_stricter_and_ai_shows() -> None:
    from ai_governance.change import Commit, Identity

    plain = make_policy("version: 1\nname: p\nrules:\n  - {id: s, kind: security-scan}\n")
    strict = make_policy(
        "version: 1\nname: p\nrules:\n  - id: s\n    kind: security-scan\n"
        "    ai_assisted: {severity: low}\n"
    )
    day = datetime.date(2027, 1, 1)
    human = Change("commit-msg", (Commit(None, "Fix", Identity("A", "a@x"), None),))
    ai = human._replace(commits=(human.commits[0]._replace(message="Fix\n\nAssisted-by: X"),))
    assert evaluate(plain, ai, day).results[0][3:5] == (
        "skipped",
        "the scan runs in the pre-commit stage, on the staged files",
    )
    assert evaluate(strict, human, day).results[0][3:5] == (
        "skipped",
        "no AI assistance in this commit: the pre-commit stage scanned it at the usual thresholds",
    )
    assert evaluate(strict, ai, day).results[0][3:5] == (
        "passed",
        "0 Python file(s) scanned at severity >= low, confidence >= medium (stricter:"
        " AI-assisted): no finding",
    )


@given(
    st.lists(
        st.sampled_from(
            [
                "x = 1",
                "# nosec",
                "y  # NoSec B101",
                "#nosecure",
                "\r",
                "# a # nosec",
                "nosec #",
                "",
            ]
        ),
        max_size=12,
    )
)
def test_nosec_lines_are_the_lines_that_match_one_by_one(lines: list[str]) -> None:
    content = "\n".join(lines).encode()
    expected = [
        (number, line.strip())
        for number, line in enumerate(content.split(b"\n"), start=1)
        if re.search(rb"#.*\bnosec\b", line, re.I)
    ]
    assert security_scan._nosec_lines(content) == expected


def test_nosec_lines_counts_lines_between_matches() -> None:
    content = b"a\n# nosec\nb\n\nc = 1  # NOSEC B101 \r\nd"
    assert security_scan._nosec_lines(content) == [(2, b"# nosec"), (5, b"c = 1  # NOSEC B101")]
