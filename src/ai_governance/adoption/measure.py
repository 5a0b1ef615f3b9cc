"""One pass over the history: totals, groups (month, team, author, tool), a baseline split."""

from __future__ import annotations

import datetime
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ai_governance.adoption.churn import Churn
from ai_governance.adoption.clock import Clock
from ai_governance.adoption.figures import (
    KEY_VARIABLE,
    NO_TEAM,
    AuthorKey,
    Counts,
    Facts,
    Tally,
    as_dict,
    author_key,
    from_dict,
    teams_of,
)
from ai_governance.adoption.history import Raw
from ai_governance.adoption.verdicts import NOTHING, Reader, Verdict, judge, people, reader
from ai_governance.adoption.verdicts import key as verdict_key
from ai_governance.change import ChangedFile
from ai_governance.errors import UsageError
from ai_governance.policy.model import Policy
from ai_governance.records import NamedTuple

SCHEMA_VERSION = 2  # 2: quality (reverts, churn); author ids keyed by the organisation
GROUPINGS = ("month", "team", "author", "tool")


class History(NamedTuple):
    policy: str
    scope: str  # the revisions and dates read, or the merged files
    by: str
    totals: Tally
    groups: tuple[tuple[str, Tally], ...]
    baseline: tuple[str, Tally, Tally] | None = None  # (date, before, after)
    charts: tuple[tuple[str, tuple[tuple[str, Tally], ...]], ...] = ()  # month, team, tool
    author_key: str | None = None  # the fingerprint of the organisation's key, if one was used
    churn_days: int | None = None  # --churn: the window, in days
    repository: str = ""  # the repository read (--repository, or its folder's name)
    generated: str = ""  # the day the report was made (YYYY-MM-DD)
    period: tuple[str, str] | None = None  # the first and last month with a commit
    repositories: tuple[tuple[str, Tally], ...] = ()  # --merge: each report's totals
    pilot: str | None = None  # --pilot: the team set against everyone else


def keys(fact: Facts, by: str, pilot: str | None) -> list[str]:
    if pilot is not None:
        side = pilot if pilot in fact.teams else "everyone else"
        return [f"{fact.month} {side}"] if by == "month" else [side]
    if by == "team":
        return list(fact.teams) or [NO_TEAM]
    if by == "author":
        return [fact.author]
    if by == "tool":
        return list(fact.tools) or ["(no AI evidence)"]
    return [fact.month]


# month, author email, merge, before the baseline, verdict, seconds until reverted
Key = tuple[bytes, bytes, bool, bool, Verdict, int | None]
REVERTS = re.compile(rb"this reverts commit ([0-9a-f]{7,40})\b")  # git revert's own line


class _Reverts:
    """Reverted commits, found in the one pass: git log lists a revert before the commit it
    reverts (it is newer), so the pass remembers each ``This reverts commit <sha>`` line
    until it meets a commit whose id starts with that sha (full or abbreviated)."""

    def __init__(self) -> None:
        self.pending: dict[bytes, bytes] = {}  # named sha (lower case) -> the revert's date
        self.lengths: set[int] = set()

    def note(self, raw: Raw, lowered: bytes) -> None:
        if b"this reverts commit" in lowered:
            for named in REVERTS.findall(lowered):
                self.pending.setdefault(named, raw.date)
                self.lengths.add(len(named))

    def after(self, raw: Raw) -> int | None:
        """Seconds from ``raw`` to the revert that names it; None when none does."""
        if not self.pending:
            return None
        sha = raw.sha  # git prints ids in lower case
        for length in self.lengths:
            when = self.pending.pop(sha[:length], None)
            if when is not None:
                start = datetime.datetime.fromisoformat(raw.date.decode())
                end = datetime.datetime.fromisoformat(when.decode())
                return max(0, int((end - start).total_seconds()))
        return None


FilesOf = Callable[[list[str]], dict[str, tuple[ChangedFile, ...]]]


class _Verdicts:
    """The verdicts of one pass and what they are cached under (owned by ``_count``)."""

    def __init__(self, read: Reader) -> None:
        self.read = read
        self.cache: dict[tuple[object, ...], Verdict] = {}
        self.who: dict[tuple[bytes, ...], tuple[bool, object]] = {}  # identities: needle, key

    def identities(self, raw: Raw, ids: tuple[bytes, ...]) -> tuple[bool, object]:
        """(whether a needle is in them, what of them the key holds) for ``ids``, the
        commit's ``raw[2:6]``: worked out once for each set of identities."""
        needles = self.read.needles
        needle = needles is None or needles.search(b"\0".join(ids).lower()) is not None
        self.who[ids] = found = (needle, people(self.read, raw, needle))
        return found

    def wanted(self, raw: Raw, lowered: bytes) -> bool:
        """Can the commit carry AI evidence (a needle in its message or identities)?"""
        needles = self.read.needles
        ids = raw[2:6]
        known = self.who.get(ids) or self.identities(raw, ids)
        return needles is None or known[0] or bool(needles.search(lowered))

    def of(self, raw: Raw, files: tuple[ChangedFile, ...], lowered: bytes, who: object) -> Verdict:
        """The verdict of a commit that can carry AI evidence. ``lowered``: its message in
        lower case; ``who``: what of its identities the key holds."""
        needles = self.read.needles
        if needles is None:
            return judge(self.read, raw, files)
        found = verdict_key(self.read, needles, raw, lowered, who=who, files=files)
        if found not in self.cache:
            self.cache[found] = judge(self.read, raw, files)
        return self.cache[found]


def _count(
    read: Reader,
    chunks: Iterable[list[Raw]],
    files_of: FilesOf,
    baseline: str | None,
    progress: bool,
    *,
    names: dict[bytes, bytes] | None,
    clock: Clock,
    churn: Churn | None = None,
    lines: dict[Key, tuple[int, int, int]] | None = None,
) -> Counter[Key]:
    """One pass over the stream. Commits with the same month, author, merge flag, side of
    the baseline and verdict are counted together; a verdict is worked out once for each
    key (``verdicts.key``). With ``churn`` the commits' patches are walked too, and each
    key's (commits measured, lines added, lines churned) summed into ``lines``: a commit is
    measured when its whole window lies before the newest commit read."""
    counted: Counter[Key] = Counter()
    newest = None
    verdicts = _Verdicts(read)
    reverts = _Reverts()
    pending = reverts.pending  # named shas not met yet (the hot loop reads it directly)
    split = None if baseline is None else baseline.encode()
    needles = read.needles
    search = needles.search if needles is not None else None
    who = verdicts.who
    seen = 0
    for chunk in chunks:
        files: dict[str, tuple[ChangedFile, ...]] = {}
        if read.paths:  # the files of the commits that will be judged, in one git process
            wanted = [_text(r.sha) for r in chunk if verdicts.wanted(r, r.message.lower())]
            files = files_of(wanted) if wanted else {}
        for raw in chunk:
            lowered = raw.message.lower()
            ids = raw[2:6]
            known = who.get(ids) or verdicts.identities(raw, ids)
            if search is not None and not known[0] and search(lowered) is None:
                verdict = NOTHING  # no needle: no evidence of AI assistance
            else:
                changed = files.get(_text(raw.sha), ()) if read.paths else ()
                verdict = verdicts.of(raw, changed, lowered, known[1])
            early = split is not None and clock.day(raw.date) < split
            person = (raw.person_email or raw.author_email).lower()  # .mailmap: one person
            if names is not None and person not in names:
                names[person] = raw.person or raw.author_name  # the newest name
            reverted = reverts.after(raw) if pending else None
            if b"this reverts commit" in lowered:
                reverts.note(raw, lowered)
            date = raw.date  # the month in the stated zone: only edge days can move
            month = date[:7] if b"03" <= date[8:10] <= b"26" else clock.month(date)
            key = (month, person, b" " in raw.parents, early, verdict, reverted)
            counted[key] += 1
            if churn is not None and lines is not None:
                when = int(datetime.datetime.fromisoformat(raw.date.decode()).timestamp())
                newest = when if newest is None else max(newest, when)
                found = churn.commit(raw.patch, when)
                if when + churn.window <= newest:
                    measured, added, churned = lines.get(key, (0, 0, 0))
                    lines[key] = (measured + 1, added + found.added, churned + found.churned)
        seen += len(chunk)
        if progress:
            sys.stderr.write(f"\rai-governance: {seen} commits read")
    if progress:
        sys.stderr.write("\n")
    return counted


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _shown(names: dict[bytes, bytes]) -> dict[str, str]:
    """email -> the name ``--by author`` shows: the newest (mailmapped) name, with a number
    after it when two addresses carry the same name."""
    shown: dict[str, str] = {}
    used: Counter[str] = Counter()
    for email, name in sorted(names.items()):
        text = _text(name).strip() or _text(email)
        used[text] += 1
        shown[_text(email)] = text if used[text] == 1 else f"{text} ({used[text]})"
    return shown


def _group(groups: dict[str, Counts], key: str) -> Counts:
    found = groups.get(key)
    if found is None:
        groups[key] = found = Counts()
    return found


def _ordered(
    groups: Iterable[tuple[str, Tally]], *, most_first: bool
) -> tuple[tuple[str, Tally], ...]:
    """Groups by key, or (authors) most commits first."""
    if most_first:
        return tuple(sorted(groups, key=lambda g: (-g[1].commits, g[0])))
    return tuple(sorted(groups))


def _figures(
    read: Reader,
    counted: Counter[Key],
    *,
    by: str,
    pilot: str | None,
    baseline: str | None,
    charts_wanted: bool,
    ids: AuthorKey,
    names: dict[str, str],
    lines: dict[Key, tuple[int, int, int]],
) -> History:
    totals, groups, before, after = Counts(), dict[str, Counts](), Counts(), Counts()
    drawn = ("month", "team", "tool") if charts_wanted else ()  # only the HTML page draws them
    charts: dict[str, dict[str, Counts]] = {name: {} for name in drawn}
    if charts_wanted and pilot is not None:
        charts["pilot"] = {}
    teams: dict[bytes, tuple[str, ...]] = {}
    for counted_key, n in counted.items():
        month, email, merge, early, (tools, disclosed, violations), reverted = counted_key
        if email not in teams:
            teams[email] = teams_of(read.policy, _text(email))
        fact = Facts(
            _text(month),
            _text(email),
            teams[email],
            merge,
            tools,
            disclosed,
            violations,
            n,
            reverted,
            lines.get(counted_key, (0, 0, 0)),
        )
        totals.add(fact)
        for key in keys(fact, by, pilot):
            _group(groups, names.get(key, key)).add(fact)
        for name, chart in charts.items():
            for key in keys(fact, "month", pilot) if name == "pilot" else keys(fact, name, None):
                _group(chart, key).add(fact)
        if baseline is not None:
            (before if early else after).add(fact)
    return History(
        read.policy.name,
        "",
        ("pilot by month" if by == "month" else "pilot") if pilot else by,
        totals.freeze(ids),
        _ordered(((k, c.freeze(ids)) for k, c in groups.items()), most_first=by == "author"),
        (baseline, before.freeze(ids), after.freeze(ids)) if baseline is not None else None,
        tuple(
            (name, tuple(sorted((k, c.freeze(ids)) for k, c in chart.items())))
            for name, chart in charts.items()
        ),
        ids.fingerprint,
        period=(min(months), max(months)) if (months := {_text(k[0]) for k in counted}) else None,
        pilot=pilot,
    )


def measure(
    policy: Policy,
    source: Callable[[], Iterable[list[Raw]]],
    files_of: FilesOf,
    *,
    today: datetime.date,
    by: str,
    pilot: str | None,
    baseline: str | None,
    scope: str,
    progress: bool = False,
    charts_wanted: bool = False,
    zone: datetime.tzinfo = datetime.timezone.utc,
    churn_days: int | None = None,
    repository: str = "",
) -> History:
    """Read the history once, as git writes it (a thread reads ahead), and count it."""
    if pilot is not None and pilot not in policy.teams:
        raise UsageError(
            f"--pilot {pilot}: the policy has no such team; teams:"
            f" {', '.join(policy.teams) or 'none'}"
        )
    read = reader(policy, today)
    names: dict[bytes, bytes] = {}
    lines: dict[Key, tuple[int, int, int]] = {}
    counted = _count(
        read,
        source(),
        files_of,
        baseline,
        progress,
        names=names,
        clock=Clock(zone),
        churn=None if churn_days is None else Churn(churn_days),
        lines=lines,
    )
    history = _figures(
        read,
        counted,
        by=by,
        pilot=pilot,
        baseline=baseline,
        charts_wanted=charts_wanted,
        ids=author_key(),
        names=_shown(names) if names is not None else {},
        lines=lines,
    )
    return history._replace(
        scope=scope, churn_days=churn_days, repository=repository, generated=today.isoformat()
    )


def to_json(history: History) -> dict[str, Any]:
    """The report as JSON. Author ids are listed only when they are keyed with the
    organisation's secret: without one they are the addresses themselves
    (``figures.AuthorKey``), which must never be written."""

    def tally(figures: Tally) -> dict[str, Any]:
        found = as_dict(figures, churn=history.churn_days is not None)
        if history.author_key is None:
            found["author_ids"], found["ai_author_ids"] = [], []
        return found

    if history.repositories:
        merged = [{"repository": n, **tally(t)} for n, t in history.repositories]
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "policy": history.policy,
        "scope": history.scope,
        "by": history.by,
        "author_key": history.author_key,
        "churn_days": history.churn_days,
        "repository": history.repository,
        "generated": history.generated,
        "period": None
        if history.period is None
        else {"first": history.period[0], "last": history.period[1]},
        "totals": tally(history.totals),
        "groups": [{"key": key, **tally(figures)} for key, figures in history.groups],
    }
    if history.baseline is not None:
        date, before, after = history.baseline
        document["baseline"] = {"date": date, "before": tally(before), "after": tally(after)}
    if history.repositories:
        document["repositories"] = merged
    return document


def _period(data: dict[str, Any]) -> tuple[str, str] | None:
    period = data.get("period")
    if period is None:
        return None
    if not isinstance(period, dict) or not all(
        isinstance(period.get(k), str) and MONTH.fullmatch(period[k]) for k in ("first", "last")
    ):
        raise TypeError("`period` must be {first: YYYY-MM, last: YYYY-MM}")
    return period["first"], period["last"]


MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def _read_report(
    data: dict[str, Any],
) -> tuple[Tally, tuple[str, str] | None, list[tuple[str, Tally]]]:
    """(totals, period, groups) of one report's JSON; TypeError/KeyError/ValueError naming
    what is wrong when it is not a whole report."""
    if not isinstance(data.get("policy"), str) or not isinstance(data.get("by"), str):
        raise TypeError("`policy` and `by` must be text")
    if not isinstance(data.get("repository", ""), str):
        raise TypeError("`repository` must be text")
    days = data.get("churn_days")
    if days is not None and (type(days) is not int or days < 1):
        raise TypeError(f"`churn_days` must be a whole number of days, not {days!r}")
    groups = []
    for group in data["groups"]:
        if not isinstance(group.get("key"), str):
            raise TypeError("a group's `key` must be text")
        groups.append((group["key"], from_dict(group)))
    return from_dict(data["totals"]), _period(data), groups


def merge(paths: list[str], today: datetime.date) -> History:
    """The organisation's figures from the JSON reports of several repositories: one row
    each (named by its ``repository``, else its file), their groups and totals added."""
    loaded = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path}: cannot read a report: {exc}") from None
        if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
            raise UsageError(f"{path}: not an `ai-governance report --format json` document")
        loaded.append(data)
    keys_used = {data.get("author_key") for data in loaded}
    if len(loaded) > 1 and (None in keys_used or len(keys_used) > 1):
        raise UsageError(
            "the reports' author ids were not made with one key, so a person who works in"
            f" several repositories would be counted once in each: make every report with the"
            f" same {KEY_VARIABLE} (a secret of the organisation)"
        )
    for field, option in (("by", "--by"), ("churn_days", "--churn")):
        used = {str(data.get(field) or "none") for data in loaded}
        if len(used) > 1:
            raise UsageError(
                f"the reports differ in `{field}` ({', '.join(sorted(used))});"
                f" merge reports made with the same {option}"
            )
    totals, groups = Tally(), dict[str, Tally]()
    rows: list[tuple[str, Tally]] = []
    periods = []
    for path, data in zip(paths, loaded, strict=True):
        try:
            own, period, own_groups = _read_report(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            what = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
            raise UsageError(
                f"{path}: not a whole `ai-governance report --format json` document"
                f" ({what}); nothing was merged"
            ) from None
        totals = totals + own
        rows.append((data.get("repository") or path, own))
        periods.append(period)
        for key, tally in own_groups:
            groups[key] = groups.get(key, Tally()) + tally
    named = Counter(name for name, _ in rows)
    by = loaded[0]["by"] if loaded else "month"
    ordered = tuple(sorted(groups.items()))
    known = [p for p in periods if p is not None]
    return History(
        ", ".join(sorted({d["policy"] for d in loaded})),
        " + ".join(paths),
        by,
        totals,
        ordered,
        charts=(("month", ordered),) if by == "month" else (),
        author_key=loaded[0].get("author_key") if loaded else None,
        churn_days=loaded[0].get("churn_days") if loaded else None,
        generated=today.isoformat(),
        period=(min(p[0] for p in known), max(p[1] for p in known)) if known else None,
        repositories=tuple(
            (name if named[name] == 1 else f"{name} ({path})", tally)
            for (name, tally), path in sorted(zip(rows, paths, strict=True))
        ),
    )
