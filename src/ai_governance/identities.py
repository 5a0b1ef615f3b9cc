"""Who is who: the one module that says which names are one person, who is a bot, and who
is in a team. Rollout, scope, ``when``, ``from_teams`` and review independence all ask here.

A person is known by every name the change gives for them: a forge login (GitHub's, or a
GitLab username), an email, the login inside a GitHub or GitLab noreply address, and
whatever the policy's ``people`` map lists for that login. Teams list logins, emails,
``@org/slug`` GitHub teams or ``@group/subgroup`` GitLab groups, whose members the
pull-request front end reads from the API once, before any rule runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ai_governance.change import Identity

# GitHub's noreply address, and GitLab's (``[ID-]USERNAME@users.noreply.HOST``, on any
# instance's host); case-insensitive, compiled when first used
_NOREPLY = (
    r"^(?:(?:\d+\+)?([A-Za-z0-9-]+(?:\[bot\])?)@users\.noreply\.github\.com"
    r"|(?:\d+-)?([A-Za-z0-9_.-]+)@users\.noreply\.(?!github\.com$)[A-Za-z0-9.-]+)$"
)
Who = Identity | str  # an identity from a commit, or a login from the forge


def login_of(email: str) -> str | None:
    """The GitHub login or GitLab username in a noreply address, lower case, else None."""
    match = re.compile(_NOREPLY, re.I).match(email.strip())  # re caches it
    return (match.group(1) or match.group(2)).lower() if match else None


def is_bot(login: str) -> bool:
    """GitHub Apps act as ``name[bot]`` (the forge also flags bot accounts: Review.bot).
    Only a login says so: a commit's author name is whatever its author typed."""
    return login.lower().endswith("[bot]")


def names(who: Who, people: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    """Every lower-case name ``who`` is known by, through the policy's ``people`` map."""
    if isinstance(who, str):
        found = {who.lower()}
    else:
        found = {n.lower() for n in (who.email, who.login, login_of(who.email)) if n}
    for login, emails in people.items():
        known = {login.lower(), *(e.lower() for e in emails)}
        if known & found:
            found |= known
    return frozenset(found)


def slugs(teams: Mapping[str, tuple[str, ...]], wanted: Iterable[str]) -> tuple[str, ...]:
    """The ``@org/slug`` GitHub teams inside the named policy teams, sorted, lower case."""
    return tuple(
        sorted(
            {entry.lower() for team in wanted for entry in teams.get(team, ()) if entry[:1] == "@"}
        )
    )


def member(
    teams: Mapping[str, tuple[str, ...]],
    people: Mapping[str, tuple[str, ...]],
    team: str,
    who: Who,
    resolved: Mapping[str, frozenset[str]] | None,
) -> bool | None:
    """Is ``who`` in ``team``? None when only an ``@org/slug`` team could say and its
    members were not read (no API here, or the token may not read them)."""
    known = names(who, people)
    unknown = False
    for entry in teams.get(team, ()):
        if entry[:1] == "@":
            members = (resolved or {}).get(entry.lower())
            if members is None:
                unknown = True
            elif known & members:
                return True
        elif entry.lower() in known:
            return True
    return None if unknown else False


def in_any(
    teams: Mapping[str, tuple[str, ...]],
    people: Mapping[str, tuple[str, ...]],
    wanted: Iterable[str],
    who: Iterable[Who],
    resolved: Mapping[str, frozenset[str]] | None,
) -> bool | None:
    """Is any of ``who`` in any of the ``wanted`` teams? None when only unread GitHub
    teams could say."""
    verdicts = {member(teams, people, t, w, resolved) for t in wanted for w in who}
    return True if True in verdicts else None if None in verdicts else False
