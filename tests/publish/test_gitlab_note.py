"""The merge request note cannot carry a quick action: GitLab runs ``/command`` lines of a
note as the token's user."""

from __future__ import annotations

from ai_governance.publish.gitlab_note import without_commands


def test_no_line_of_a_note_starts_a_quick_action() -> None:
    body = "### verdict\n/merge\n  /approve\nsee /path\n\t/close\n"
    assert without_commands(body) == (
        "### verdict\n\u200b/merge\n  \u200b/approve\nsee /path\n\t\u200b/close\n"
    )
    assert without_commands(without_commands(body)) == without_commands(body)
