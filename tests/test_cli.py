"""The command line end to end on real repositories: exact output and exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import Repo

from ai_governance.arguments import parser
from ai_governance.cli import main, quick_hook_args, quick_report_args

AI_MESSAGE = "Add cache\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"
COMMIT_MSG_FAIL = """\
ai-governance: policy ai-governance-default (<embedded default policy>), stage commit-msg
AI assistance found:
      Claude Code: trailer (line 3): Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>
FAIL  ai-disclosure (disclosure, enforce): 1 of 1 AI-assisted commit(s) lack a valid `Assisted-by:` trailer
      the commit message shows AI assistance but has no `Assisted-by:` trailer. Evidence: Claude Code: trailer (line 3): Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>
      fix: add this line directly below the trailers at the end of the message: Assisted-by: Claude Code
SKIP  ai-review (review, enforce): reviews exist only on a pull request; the commit-msg stage has none (CI judges it)
PASS  bandit (security-scan, enforce): 0 Python file(s) scanned at severity >= low, confidence >= medium (stricter: AI-assisted): no finding introduced by the change
result: failed (exit 1)
"""


def test_commit_msg_hook_refuses_undisclosed_ai(
    chdir_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    message = chdir_repo.write("MSG", AI_MESSAGE)
    assert main(["hook", "commit-msg", str(message)]) == 1
    assert capsys.readouterr().out == COMMIT_MSG_FAIL


def test_commit_msg_hook_is_silent_on_pass(
    chdir_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    message = chdir_repo.write("MSG", AI_MESSAGE + "Assisted-by: Claude Code\n")
    assert main(["hook", "commit-msg", str(message)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["check", "--commit-msg", str(message)]) == 0
    assert "PASS  ai-disclosure (disclosure, enforce): 1 AI-assisted commit(s) of 1 carry" in (
        capsys.readouterr().out
    )


def test_agent_session_variable_is_evidence(
    chdir_repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLAUDE_CODE_CHILD_SESSION", "1")
    message = chdir_repo.write("MSG", "Plain message\n")
    assert main(["check", "--commit-msg", str(message), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["evidence"] == [
        {
            "marker": "claude-code-env",
            "tool": "Claude Code",
            "where": "environment: CLAUDE_CODE_CHILD_SESSION is set",
        }
    ]
    assert report["results"][0]["findings"][0]["fix"] == (
        "add this line as the last paragraph of the message: Assisted-by: Claude Code"
    )


def test_json_contract_for_a_range(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = repo.commit("Initial")
    human = repo.commit("Human change")
    aider = repo.commit("Tweak", author="Paul (aider) <paul@example.com>")
    monkeypatch.chdir(repo.path)
    assert main(["check", "--range", f"{base}..HEAD", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "schema_version": 1,
        "status": "fail",
        "policy": "ai-governance-default",
        "source": "<embedded default policy>",
        "stage": "range",
        "ai_assisted": True,
        "evidence": [
            {
                "marker": "aider-identity",
                "tool": "Aider",
                "where": "author: Paul (aider) <paul@example.com>",
                "commit": aider,
            }
        ],
        "results": [
            {
                "rule": "ai-disclosure",
                "kind": "disclosure",
                "mode": "enforce",
                "status": "failed",
                "reason": "1 of 1 AI-assisted commit(s) lack a valid `Assisted-by:` trailer",
                "findings": [
                    {
                        "message": f"commit {aider[:12]} shows AI assistance but has no `Assisted-by:`"
                        " trailer. Evidence: Aider: author: Paul (aider) <paul@example.com>",
                        "commit": aider,
                        "fix": "add this line as the last paragraph of the message: Assisted-by: Aider",
                    }
                ],
            },
            {
                "rule": "ai-review",
                "kind": "review",
                "mode": "enforce",
                "status": "skipped",
                "reason": "reviews exist only on a pull request; the range stage has none"
                " (CI judges it)",
                "findings": [],
            },
            {
                "rule": "bandit",
                "kind": "security-scan",
                "mode": "enforce",
                "status": "passed",
                "reason": "0 Python file(s) scanned at severity >= low, confidence >= medium"
                " (stricter: AI-assisted): no finding introduced by the change",
                "findings": [],
            },
        ],
        "notices": [],
    }
    assert human not in json.dumps(capsys.readouterr().out)


def test_repository_policy_found_from_a_subdirectory(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(
        ".ai-governance.yml",
        "version: 1\nname: repo-policy\nrules:\n  - {id: d, kind: disclosure, mode: warn}\n",
    )
    repo.commit("Initial")
    (repo.path / "deep" / "er").mkdir(parents=True)
    message = repo.write("deep/er/MSG", AI_MESSAGE)
    monkeypatch.chdir(repo.path / "deep" / "er")
    assert main(["hook", "commit-msg", str(message)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ai-governance: policy repo-policy (")
    assert "WARN  d (disclosure, warn): 1 of 1 AI-assisted commit(s) lack" in out


def test_several_formats_and_outputs(chdir_repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    message = chdir_repo.write("MSG", AI_MESSAGE)
    out = chdir_repo.path / "report.json"
    code = main(
        [
            "check",
            "--commit-msg",
            str(message),
            "--format",
            "json",
            "--output",
            str(out),
            "--format",
            "text",
            "--no-color",
        ]
    )
    assert code == 1
    assert json.loads(out.read_text())["status"] == "fail"
    assert capsys.readouterr().out == COMMIT_MSG_FAIL.replace("hook", "check")


def test_usage_errors_exit_2(chdir_repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "xml"]) == 2
    err = capsys.readouterr().err  # argparse's wording varies by Python version
    assert "argument --format: invalid choice: 'xml' (choose from " in err
    assert "json" in err.splitlines()[-1]
    assert "text" in err.splitlines()[-1]
    assert main(["check", "--output", "a.json", "--output", "b.json"]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: each --output needs a --format before it\n"
    )
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: error: 'HEAD' is not a commit in this"
        " repository (the repository has no commits yet)\n"
    )
    chdir_repo.commit("First")
    assert main(["check", "--range", "no-such-rev..HEAD"]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: error: 'no-such-rev' is not a commit in this repository\n"
    )
    assert main(["check", "--range=--output=x"]) == 2
    assert capsys.readouterr().err == "ai-governance: error: '--output=x' is not a revision\n"
    assert main(["hook", "commit-msg", "/nonexistent/MSG"]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: /nonexistent/MSG: cannot read"
        " the commit message: No such file or directory\n"
    )
    assert main(["check", "--today", "tomorrow"]) == 2


def test_internal_error_exits_3(
    chdir_repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ai_governance.commands import check

    def broken(args: object) -> int:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(check, "run", broken)
    assert main(["check"]) == 3
    assert "internal error (exit 3); nothing was judged" in capsys.readouterr().err


def test_interrupted_exits_130(chdir_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from ai_governance.commands import check

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(check, "run", interrupted)
    assert main(["check"]) == 130


@pytest.mark.parametrize(
    "argv",
    [
        ["hook", "commit-msg", "MSG"],
        ["hook", "commit-msg", "--no-color", "MSG"],
        ["hook", "commit-msg", "--policy", "p.yml", "MSG", "--today", "2027-01-01"],
        ["hook", "pre-commit"],
        ["hook", "pre-commit", "a.py", "docs/b.md", "c.PY", "--no-color"],
        ["hook", "pre-commit", "--policy", "p.yml", "--today", "2027-01-01", "a.py"],
    ],
)
def test_quick_hook_parser_agrees_with_argparse(argv: list[str]) -> None:
    quick = quick_hook_args(argv)
    assert quick is not None
    assert vars(quick) == vars(parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["hook", "commit-msg"],
        ["hook", "commit-msg", "--help"],
        ["hook", "commit-msg", "A", "B"],
        ["hook", "commit-msg", "--format", "json", "MSG"],
        ["hook", "commit-msg", "--today", "x", "M"],
        ["hook", "pre-commit", "--format", "json", "a.py"],
        ["hook", "pre-commit", "--", "a.py"],
        ["hook", "pre-commit", "a.py", "--no-color", "b.py"],
        ["check", "MSG"],
    ],
)
def test_quick_hook_parser_hands_everything_else_to_argparse(argv: list[str]) -> None:
    assert quick_hook_args(argv) is None


@pytest.mark.parametrize(
    "argv",
    [
        ["report"],
        ["report", "main", "a..b", "--no-merges"],
        [
            "report",
            "--format",
            "json",
            "--output",
            "r.json",
            "--format",
            "html",
            "--output",
            "r.html",
        ],
        ["report", "--since", "2026-01-01", "--until", "2026-02-01", "--tz", "Europe/Berlin"],
        ["report", "--by", "author", "--pilot", "pilot", "--baseline", "2026-03-01"],
        [
            "report",
            "--churn",
            "--churn-days",
            "14",
            "--repository",
            "octo/app",
            "--today",
            "2027-01-01",
        ],
        ["report", "--policy", "", "HEAD~3..HEAD"],
    ],
)
def test_quick_report_parser_agrees_with_argparse(argv: list[str]) -> None:
    quick = quick_report_args(argv)
    assert quick is not None
    assert vars(quick) == vars(parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--help"],
        ["report", "--merge", "a.json", "b.json"],
        ["report", "--format=json"],
        ["report", "--by", "weekday"],
        ["report", "--format", "sarif"],
        ["report", "--churn-days", "0"],
        ["report", "--churn-days", "x"],
        ["report", "--today", "tomorrow"],
        ["report", "--baseline", "2026-13-01"],
        ["report", "--tz", "-08:00"],
        ["report", "--pol", "p.yml"],
        ["report", "--policy"],
        ["check", "--range", "HEAD"],
    ],
)
def test_quick_report_parser_hands_everything_else_to_argparse(argv: list[str]) -> None:
    assert quick_report_args(argv) is None


def test_module_entry_point_and_version() -> None:
    done = subprocess.run(
        ["python", "-m", "ai_governance", "--version"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.split()[0]) == (0, "ai-governance")


def test_color_only_on_request(
    chdir_repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ai_governance.reporters import as_text

    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    message = chdir_repo.write("MSG", AI_MESSAGE)
    main(["check", "--commit-msg", str(message)])
    assert "\x1b[31mFAIL \x1b[0m" in capsys.readouterr().out
    main(["check", "--commit-msg", str(message), "--no-color"])
    assert "\x1b[" not in capsys.readouterr().out
    assert as_text.clean("evil\x1b[2J\rtitle") == "evil\\x1b[2J\\x0dtitle"


def test_path_in_repo(chdir_repo: Repo) -> None:
    assert Path.cwd() == chdir_repo.path


def test_policy_session_variable_names_no_tool(
    chdir_repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chdir_repo.write(
        ".ai-governance.yml",
        "version: 1\nname: t\ndetect:\n  env: [ACME_AI_SESSION]\n"
        "rules:\n  - {id: d, kind: disclosure}\n",
    )
    monkeypatch.setenv("ACME_AI_SESSION", "s-1")
    message = chdir_repo.write("MSG", "Plain message\n")
    assert main(["hook", "commit-msg", str(message), "--no-color"]) == 1
    assert capsys.readouterr().out.splitlines()[2:6] == [
        "      env-acme_ai_session: environment: ACME_AI_SESSION is set",
        "FAIL  d (disclosure, enforce): 1 of 1 AI-assisted commit(s) lack a valid `Assisted-by:` trailer",
        "      the commit message shows AI assistance but has no `Assisted-by:` trailer. Evidence: env-acme_ai_session: environment: ACME_AI_SESSION is set",
        "      fix: add this line as the last paragraph of the message: Assisted-by: <name of the AI assistant>",
    ]


def test_schema_prints_the_schema_the_package_validates_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ai_governance.policy.schema import schema

    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == schema()
    assert printed["$id"] == "urn:ai-governance:policy:v1"  # not a URL that serves nothing
    assert main(["schema", "--output", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text()) == schema()


def test_an_output_that_cannot_be_written_is_a_usage_error(
    chdir_repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chdir_repo.commit("One")
    missing = tmp_path / "no" / "such" / "folder" / "x.json"
    for argv in (
        ["check", "--format", "json", "--output", str(missing)],
        ["schema", "--output", str(missing)],
        ["report", "--format", "json", "--output", str(missing)],
    ):
        assert main(argv) == 2, argv
        assert capsys.readouterr().err == (
            f"ai-governance: usage error: {missing}: cannot write: No such file or directory\n"
        )
