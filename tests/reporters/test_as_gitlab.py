"""Nothing a commit says reaches a GitLab CI job log as a control sequence or a
collapsible-section marker."""

from __future__ import annotations

import pytest
from conftest import Repo

from ai_governance.cli import main
from ai_governance.reporters.as_gitlab import inert


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain\ttext\n", "plain\ttext\n"),
        ("\x1b[2Kerased\r", "[2Kerased"),
        ("\x9b31mC1 CSI\x85", "31mC1 CSI"),
        ("section_start:1:a\r\x1b[0K", "section\u200b_start:1:a[0K"),
        ("Section_End:1:a", "section\u200b_End:1:a"),
    ],
)
def test_inert(text: str, shown: str) -> None:
    assert inert(text) == shown


MARKED = (
    "Fix\n\n\U0001f916 Generated with [Claude Code](https://claude.com/claude-code)"
    " \x1b[2J \x9b1m section_start:1700000000:fake\r\x1b[0Kfake header\n"
)


@pytest.mark.parametrize("gitlab", [True, False])
def test_a_commit_message_cannot_write_to_the_job_log(
    chdir_repo: Repo,
    gitlab: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The marker line is evidence, so the log quotes it: as text everywhere (the text
    reporter writes control characters as escapes), and in GitLab CI with its section
    markers broken too."""
    if gitlab:
        monkeypatch.setenv("GITLAB_CI", "true")
    chdir_repo.write(
        ".ai-governance.yml",
        "version: 1\nname: t\nrules:\n  - id: d\n    kind: disclosure\n",
    )
    sha = chdir_repo.commit(MARKED)
    assert main(["check", "--range", sha]) == 1
    out = capsys.readouterr().out
    assert "Generated with [Claude Code]" in out  # the evidence is quoted
    assert not any(0x00 <= ord(c) < 0x20 and c not in "\n\t" for c in out)
    assert not any(0x7F <= ord(c) < 0xA0 for c in out)
    assert ("section_start:" in out) is not gitlab
    assert ("section\u200b_start:" in out) is gitlab
