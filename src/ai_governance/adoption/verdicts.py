"""One commit of history judged as ``check --range C`` judges it: through ``engine.evaluate``.

The report reads in full only the commits whose raw text holds one of the markers'
needles (every marker match contains one), and judges one commit of each *key*: what of a
commit can change its verdict. Commits without a needle carry no evidence of AI
assistance, and the kinds the report counts only fail AI-assisted commits (``in_history``),
so their verdict is ``NOTHING``. The key is

* every line holding a needle, verbatim and tagged with its part of the message (title,
  middle, last paragraph); for the subject, only the markers that match it (nothing else
  of the subject can change a verdict: ``_subject_matches``);
* the message's shape where git's trailer rules read it: each line of the title a
  placeholder (git never reads a trailer there), the paragraphs between title and last
  paragraph left out (only their marker lines count, and those are kept above), and the
  last paragraph with each line of prose a placeholder and every other line kept, or one
  placeholder for all of it when it holds no needle and no key a rule reads
  (``_shape``);
* when the message holds no needle and no key a rule reads, nothing of it at all;
* the author's and committer's names and emails when the policy's teams decide a counted
  rule's mode or scope; else, when one holds a needle, the markers each matches;
* the files the commit changes, when a counted rule or its exceptions look at paths.

``tests/fuzz`` checks with Hypothesis that commits sharing a key share the verdict, and
``tests/adoption`` that every figure equals what ``check --range C`` says commit by commit.
"""

from __future__ import annotations

import datetime
import re

from ai_governance.adoption.history import Raw
from ai_governance.change import Change, ChangedFile, Commit, Identity
from ai_governance.detect.markers import candidates, identity_hits
from ai_governance.detect.trailers import parse
from ai_governance.engine import evaluate
from ai_governance.policy.model import Marker, Policy, Rule
from ai_governance.records import NamedTuple
from ai_governance.rules import RULES, needs

# A line of prose: not empty, not indented, not a comment, not ``Key:``-like, not git's.
_PROSE = re.compile(
    rb"^(?![ \t#]|[A-Za-z0-9-]*[ \t]*:|\(cherry picked from commit |[ \t\r]*$).+$", re.M
)

Verdict = tuple[tuple[str, ...], bool, tuple[str, ...]]  # (tools, disclosed, violated rule ids)
NOTHING: Verdict = ((), False, ())  # no AI evidence


class Reader(NamedTuple):
    """What judging commits needs, worked out once per report."""

    policy: Policy
    today: datetime.date
    markers: tuple[Marker, ...]  # what evaluate matches, in its order
    counted: frozenset[str]  # ids of the rules whose verdicts the report counts
    needles: re.Pattern[bytes] | None  # any needle; None: a marker has none, read every commit
    identities: bool  # teams decide a counted rule's mode or scope: authors are in the key
    paths: bool  # a counted rule or its exceptions look at paths: files are in the key
    keys: re.Pattern[bytes]  # the trailer keys a rule reads the value of (lower case)


def reader(policy: Policy, today: datetime.date) -> Reader:
    everything = needs.markers(policy) + policy.detect.markers  # as engine.evaluate has them
    markers = tuple(m for m in everything if not m.env)
    counted: tuple[Rule, ...] = tuple(r for r in policy.rules if RULES[r.kind].in_history(r))
    ids = frozenset(r.id for r in counted)
    needles = None
    if all(m.needles is not None for m in markers):
        texts = sorted({n.encode() for m in markers for n in m.needles or ()})
        needles = re.compile(trie(texts) if texts else b"(?!)")
    teams = any(step.teams for step in policy.rollout) or any(r.scope.teams for r in counted)
    paths = any(r.uses_paths for r in counted) or any(
        e.paths for e in policy.exceptions if ids & set(e.rules)
    )
    read_keys = sorted({k.encode() for r in policy.rules for k in RULES[r.kind].trailer_keys(r)})
    keys = re.compile(
        b"(?:" + b"|".join(map(re.escape, read_keys)) + b")[ \t]*:" if read_keys else b"(?!)"
    )
    return Reader(policy, today, everything, ids, needles, teams, paths, keys)


def trie(words: list[bytes]) -> bytes:
    """One regex for any of ``words``, their common prefixes factored out: Python's ``re``
    tries an alternation's branches one by one at every position, and a trie has a few
    branches where the flat list has dozens (it measured twice as fast on every commit)."""
    if b"" in words:
        rest = [w for w in words if w]
        return b"(?:" + trie(rest) + b")?" if rest else b""
    groups: dict[bytes, list[bytes]] = {}
    for word in words:
        groups.setdefault(word[:1], []).append(word[1:])
    parts = [re.escape(first) + trie(tails) for first, tails in sorted(groups.items())]
    return parts[0] if len(parts) == 1 else b"(?:" + b"|".join(parts) + b")"


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def commit_of(raw: Raw) -> Commit:
    """The commit as ``git.log`` (and so ``check --range``) builds it."""
    return Commit(
        _text(raw.sha),
        _text(raw.message).rstrip("\n"),
        Identity(_text(raw.author_name), _text(raw.author_email)),
        Identity(_text(raw.committer_name), _text(raw.committer_email)),
        len(raw.parents.split()),
    )


def judge(read: Reader, raw: Raw, files: tuple[ChangedFile, ...] = ()) -> Verdict:
    """The verdict ``check --range C`` gives commit ``raw`` (with ``files``, its changes)."""
    commit = commit_of(raw)
    report = evaluate(read.policy, Change("range", (commit,), files), read.today)
    if not report.evidence:
        return NOTHING
    tools = tuple(sorted({e.tool or e.marker for e in report.evidence}))
    message = parse(commit.message)
    asked = [
        said
        for rule in read.policy.rules
        if rule.mode != "off" and (said := RULES[rule.kind].discloses(rule, message)) is not None
    ]
    violations = tuple(
        r.rule
        for r in report.results
        if r.rule in read.counted and r.status in ("failed", "warned")
    )
    return tools, bool(asked) and all(asked), violations


def people(read: Reader, raw: Raw, needle: bool) -> object:
    """What of a commit's author and committer can change its verdict: nothing when no
    needle is in them (no marker can match them) and teams decide nothing; the names and
    emails themselves when teams decide a counted rule's mode or scope; else the markers
    each matches, in order (evidence from an identity is its marker's, whoever it names)."""
    if read.identities:
        return raw[2:6]
    if not needle:
        return ()
    author = Identity(_text(raw.author_name), _text(raw.author_email))
    committer = Identity(_text(raw.committer_name), _text(raw.committer_email))
    markers = candidates(read.markers, f"{author}\0{committer}".lower())  # a needle in them
    return tuple(
        tuple(m.id for m in identity_hits(markers, role, who))
        for role, who in (("author", author), ("committer", committer))
    )


_TITLE_LINE = re.compile(rb"^[^ \t#\r\n].*$", re.M)  # not blank, not indented, no comment
_BLANK_LINE = re.compile(rb"^[ \t\r]*$", re.M)  # the end of the title paragraph


def _last_paragraph(message: bytes, after: int) -> int:
    """Where the message's last paragraph starts (at or after ``after``, the title's end):
    the only lines git's trailer rules read. As ``trailers._block_start``, walk back from
    the end past blank (and comment) lines to the first blank line after some content;
    ``after`` when none comes before it."""
    cut = message.rfind(b"\n\n", after)
    if cut > after:  # the usual message: a blank line, then lines of content only
        tail = message[cut + 2 :]
        if tail[:1] != b"#" and b"\n#" not in tail and not _BLANK_LINE.search(tail):
            return cut + 2
    end = len(message)
    content = False
    while end > after:
        start = max(message.rfind(b"\n", after, end) + 1, after)
        line = message[start:end]
        if line.startswith(b"#"):
            pass  # a comment line neither ends the paragraph nor starts it
        elif line.strip(b" \t\r"):
            content = True
        elif content:
            return end + 1  # the line after this blank one
        end = start - 1
    return after


def _shape(
    read: Reader, message: bytes, lowered: bytes, hits: list[int]
) -> tuple[bytes, int, int]:
    """(the message's shape as the key keeps it, where its middle starts, where its last
    paragraph starts); ``hits``: where needles are. The lines of the first paragraph (the
    title) are placeholders even when they look like ``Key: value`` (``fix: the cache``):
    git never reads a trailer there, and a marker's line is in the key anyway. Between the
    title and the last paragraph nothing but a marker's line can change a verdict, so that
    middle is left out. In the last paragraph each line of prose is a placeholder and every
    other line is kept, where it is; when it holds no needle and no key a rule reads,
    nothing in it can be evidence or a disclosure, and whether git takes it as the trailer
    block changes nothing either (the lines elsewhere are outside the block both ways), so
    one placeholder stands for it all."""
    if b"\n" not in message:
        return _TITLE_LINE.sub(b"\0", message), len(message), len(message)
    blank = _BLANK_LINE.search(message)
    title = blank.start() if blank else len(message)
    last = _last_paragraph(message, title)
    paragraph = message[last:]
    if any(at >= last for at in hits) or read.keys.search(lowered, last, len(message)):
        paragraph = _PROSE.sub(b"\0", paragraph)
    elif paragraph.strip(b" \t\r\n"):
        paragraph = b"\2"
    middle = b"\1" if last > title else b""  # lines left out here
    return _TITLE_LINE.sub(b"\0", message[:title]) + middle + paragraph, title, last


def key(
    read: Reader,
    needles: re.Pattern[bytes],
    raw: Raw,
    lowered: bytes,
    *,
    who: object,
    files: tuple[ChangedFile, ...] = (),
) -> tuple[object, ...]:
    """What of ``raw`` can change its verdict (see the module's docstring). ``needles``:
    ``read.needles`` (without needles every commit is judged, with no key); ``lowered``:
    the message in lower case; ``who``: ``people(read, raw, ...)``."""
    message = raw.message.rstrip(b"\n")
    hits = _lines_with_needles(needles, message, lowered)
    changed = tuple((f.path, f.old_path, f.status, f.mode) for f in files) if read.paths else ()
    if not hits and not read.keys.search(lowered, 0, len(message)):
        # no marker can match the message and no rule reads a trailer of it: only the
        # identities (and the files) can make or change its verdict
        return (b"\3", who, changed)
    shape, title, last = _shape(read, message, lowered, hits)
    kept: list[object] = [shape, who, changed]
    for start in hits:
        end = message.find(b"\n", start)
        line = message[start : end if end >= 0 else len(message)]
        if start == 0:  # the subject: only its markers' matches can change the verdict
            kept.append(b"S")
            kept.append(_subject_matches(read, line, lowered[: len(line)]))
        else:
            kept.append(b"T" if start < title else b"M" if start < last else b"L")
            kept.append(line)
    return tuple(kept)


def _lines_with_needles(needles: re.Pattern[bytes], message: bytes, lowered: bytes) -> list[int]:
    """Where each line holding a needle starts, in order, each once."""
    found = {
        message.rfind(b"\n", 0, hit.start()) + 1
        for hit in needles.finditer(lowered, 0, len(message))
    }
    return sorted(found)


def _subject_matches(read: Reader, line: bytes, lowered: bytes) -> tuple[str, ...]:
    """What of the subject line can change a verdict: the markers whose ``subject`` or
    ``message`` pattern matches it, in order. No rule reads the subject otherwise: it is
    never in git's trailer block, and neither a trailer-like hit nor an AI credit is taken
    from line 1 (``detect.markers``). So "aider: <any prose>" is one key, not thousands."""
    text = _text(line)
    found = []
    for marker in candidates(read.markers, _text(lowered)):
        if marker.subject and marker.subject.search(text):
            found.append(f"s:{marker.id}")
        if marker.message and marker.message.search(text):
            found.append(f"m:{marker.id}")
    return tuple(found)
