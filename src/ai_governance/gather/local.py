"""Named constructors of a Change from the local repository, one per front end."""

from __future__ import annotations

import os

from ai_governance.change import Change, ChangedFile, Commit
from ai_governance.detect.trailers import CLEANUP_MODES, cleanup
from ai_governance.errors import UsageError
from ai_governance.gather import git
from ai_governance.records import NamedTuple


def _environment() -> frozenset[str]:
    return frozenset(name for name, value in os.environ.items() if value)


_AUTO_COMMENT = "#;@!$%^&|:"  # what git picks from for core.commentChar=auto
_TEMPLATE = " Please enter the commit message"


class Cleanup(NamedTuple):
    comment: str
    mode: str  # strip | whitespace | verbatim
    cut: bool  # at the scissors line


SETTINGS = r"^(core\.comment(char|string)|commit\.cleanup)$"  # what message_settings reads


def begin_settings(cwd: str) -> git.Pending:
    """Start reading the message's settings now, for a ``read_message_file`` that follows
    (the hook asks git while the rest of the tool is imported)."""
    return git.begin(git.config_args(SETTINGS), cwd)


def message_settings(cwd: str, message: str, started: git.Pending | None = None) -> Cleanup:
    """How ``git commit`` will clean the message up, from its config and environment.

    git tells a hook that no editor ran by setting ``GIT_EDITOR=:``; then the default
    cleanup keeps ``#`` lines and nothing is cut at a scissors line. After an editor, a
    scissors line is taken as ``git commit -v`` (or ``--cleanup=scissors``) wrote it.
    ``core.commentChar=auto`` is read from git's own template lines in the message, ``#``
    when there are none.
    """
    edited = os.environ.get("GIT_EDITOR") != ":"
    comment, mode = "#", "default"
    for key, value in git.config(SETTINGS, cwd, started=started):
        if key == "commit.cleanup":
            mode = value.lower()
        else:
            comment = value
    if comment.lower() == "auto":
        comment = next(
            (
                line[0]
                for line in message.split("\n")
                if line[:1] and line[0] in _AUTO_COMMENT and line[1:].startswith(_TEMPLATE)
            ),
            "#",
        )
    if mode == "default":
        mode = "strip" if edited else "whitespace"
    elif mode == "scissors":
        mode = "whitespace"
    if mode not in CLEANUP_MODES:
        raise UsageError(f"commit.cleanup={mode!r} is not a cleanup mode git knows")
    return Cleanup(comment, mode, edited)


class MessageFile(NamedTuple):
    """The message file git passes a hook, as written and as git will store it."""

    text: str  # decoded as written
    encoding: str  # utf-8, else latin-1 (i18n.commitEncoding: markers are ASCII either way)
    settings: Cleanup  # the repository's core.commentChar and commit.cleanup
    message: str  # cleaned as git will store it


def read_message_file(path: str, cwd: str, settings: git.Pending | None = None) -> MessageFile:
    """``settings``: ``begin_settings``'s call, ended here whatever happens."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        if settings is not None:
            git.discard(settings)
        raise UsageError(f"{path}: cannot read the commit message: {exc.strerror}") from None
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    cleanup_settings = message_settings(cwd, text, settings)
    cleaned = cleanup(
        text, cleanup_settings.comment, cleanup_settings.mode, cut=cleanup_settings.cut
    )
    return MessageFile(text, encoding, cleanup_settings, cleaned)


def read_message(path: str, cwd: str) -> str:
    """The message file as git will store it: CRLF, comments and scissors handled as the
    repository's ``core.commentChar`` and ``commit.cleanup`` say."""
    return read_message_file(path, cwd).message


def from_message_file(
    path: str, cwd: str, *, with_files: bool, read: MessageFile | None = None
) -> Change:
    """The commit being made (commit-msg stage): its message (``read`` when the caller
    has read the file already), author and environment."""
    in_hook = "GIT_AUTHOR_NAME" in os.environ  # git exports the author, not the committer
    commit = Commit(
        sha=None,
        message=(read or read_message_file(path, cwd)).message,
        author=git.identity("GIT_AUTHOR_IDENT", cwd),
        committer=git.identity("GIT_COMMITTER_IDENT", cwd)
        if "GIT_COMMITTER_NAME" in os.environ or not in_hook
        else None,
    )
    files = git.changed_files(git.STAGED, cwd) if with_files else ()
    return Change("commit-msg", (commit,), files, environment=_environment())


def with_contents(
    files: tuple[ChangedFile, ...],
    cwd: str,
    max_bytes: int,
    ready: dict[str, tuple[int, bytes | None, bytes]] | None = None,
) -> tuple[ChangedFile, ...]:
    """Add size, content (up to ``max_bytes``) and first line to every file that can be
    read; then, for those that are Python now, their content before the change when it was
    Python then (``base``: what a finding the change introduces is told apart from).
    ``ready``: blobs read already (``git.prefetched``), by id; git is asked for the rest."""
    from ai_governance.scanners import select  # only when contents are read

    ready = {
        blob: (size, content if size <= max_bytes else None, head)
        for blob, (size, content, head) in (ready or {}).items()
    }

    def fetch(ids: set[str], cap: int) -> dict[str, tuple[int, bytes | None, bytes]]:
        have = {blob: ready[blob] for blob in ids if blob in ready}
        return {**have, **git.blobs(sorted(ids - have.keys()), cap, cwd)}

    wanted = [f for f in files if select.not_scanned(f) is None]
    # Files named like Python (and links) are read whole; of the others only the first line
    # is kept, and those it shows to be Python are read again whole: a pull request's images
    # and data files are streamed past, never held.
    named = {
        f.blob
        for f in wanted
        if select.by_name(f.path) or select.extensionless(f.path) or f.mode == select.SYMLINK
    }
    heads = git.blobs(sorted({f.blob for f in wanted} - named), 0, cwd)
    named |= {
        f.blob for f in wanted if f.blob in heads and select.is_python(f.path, heads[f.blob][2])
    }
    contents = {**heads, **fetch(named, max_bytes)}
    read = {
        f.path: f._replace(
            size=contents[f.blob][0], content=contents[f.blob][1], head=contents[f.blob][2]
        )
        for f in wanted
    }
    python = [
        f
        for f in read.values()
        if f.mode != select.SYMLINK
        and f.old_blob
        and f.old_mode in select.REGULAR
        and select.is_python(f.path, f.head if f.content is None else f.content)
    ]
    before = fetch({f.old_blob for f in python if f.old_blob}, max_bytes)
    for f in python:
        old = before[f.old_blob][1]
        if old is not None and select.is_python(f.old_path or f.path, old):
            read[f.path] = f._replace(base=old)
    return tuple(read.get(f.path, f) for f in files)


def _index_entries(paths: list[str], cwd: str) -> tuple[ChangedFile, ...]:
    """Files named on the command line that the staged change does not touch."""
    if not paths:
        return ()
    pathspecs = [f":(top,literal){p}" for p in paths]
    raw = git.run(["ls-files", "-s", "-z", "--full-name", "--", *pathspecs], cwd)
    entries = []
    for record in filter(None, raw.split(b"\0")):
        info, _, name = record.partition(b"\t")
        mode, blob, _ = git.text(info).split(" ")
        path = name.decode("utf-8", "surrogateescape")
        entries.append(
            ChangedFile(path, "unchanged", None, mode, blob, old_blob=blob, old_mode=mode)
        )
    return tuple(entries)


def staged_listing(cwd: str) -> git.Pending:
    """Start listing the staged files now, for a ``from_staged`` that may follow."""
    return git.begin(git.diff_args(git.STAGED), git.toplevel(cwd) or cwd)


def prefetch_staged(cwd: str, paths: list[str]) -> git.Prefetch:
    """Start reading ``paths``' staged and committed contents (by name, relative to the
    work tree's root, as pre-commit passes them) for a ``from_staged`` that may follow."""
    return git.prefetch(
        [name for path in paths for name in (f":{path}", f"HEAD:{path}")],
        git.toplevel(cwd) or cwd,
    )


def from_staged(
    cwd: str,
    *,
    paths: list[str] | None = None,
    max_bytes: int | None = None,
    started: git.Pending | None = None,
    ready: git.Prefetch | None = None,
) -> Change:
    """What ``git commit`` would record now (pre-commit stage), from the index, never the
    working tree. ``paths`` (as pre-commit passes them) narrows it to those files, and
    includes unchanged ones so that ``pre-commit run --all-files`` scans them.
    ``started``: the listing begun by ``staged_listing``; ``ready``: contents begun by
    ``prefetch_staged``."""
    blobs = git.prefetched(ready) if ready is not None else None
    cwd = git.toplevel(cwd) or cwd  # git runs at the root: paths are the root's
    files = git.changed_files(git.STAGED, cwd, started=started)
    if paths is not None:
        named = set(paths)
        files = tuple(f for f in files if f.path in named)
        seen = {f.path for f in files}
        files = tuple(sorted(files + _index_entries([p for p in paths if p not in seen], cwd)))
    if max_bytes is not None:
        files = with_contents(files, cwd, max_bytes, blobs)
    return Change("pre-commit", (), files, environment=_environment())


def from_range(spec: str, cwd: str, *, max_bytes: int | None = None) -> Change:
    """Every commit of ``BASE..HEAD`` (or the one commit ``REV``) with the files it changes."""
    if "..." in spec:
        raise UsageError(f"--range {spec}: use BASE..HEAD (two dots) or a single revision")
    cwd = git.toplevel(cwd) or cwd
    if ".." in spec:
        base, head = spec.split("..", 1)
        base, head = base or "HEAD", head or "HEAD"
        git.verify_commit(base, cwd)
        git.verify_commit(head, cwd)
        commits = git.log([f"{base}..{head}"], cwd)
        diff = git.range_diff(base, head)
    else:
        git.verify_commit(spec, cwd)
        commits = git.log(["--no-walk=unsorted", spec], cwd)
        diff = git.commit_diff(spec)
    files = git.changed_files(diff, cwd)
    if max_bytes is not None:
        files = with_contents(files, cwd, max_bytes)
    return Change("range", commits, files)
