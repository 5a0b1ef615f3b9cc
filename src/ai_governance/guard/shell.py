"""Does a shell command skip git's hooks? Read as a shell reads it, not by pattern.

The command is split into tokens with ``shlex`` (quotes, ``;``, ``&&``, ``||``, ``|``,
``&``, newlines, subshells, ``$( )`` and backticks), each simple command is stripped of its
``VAR=value`` prefixes and wrappers (``env``, ``command``, ``exec``, ``sudo``, ``timeout N``,
...), and a git invocation is read with git's own option rules: global options before the
subcommand (``-C dir``, ``-c key=value``, ``--config-env``), option values that are not
flags (``-m "... --no-verify ..."``), combined short flags (``-anm msg``), unambiguous long
prefixes (``--no-veri``), the last of ``--verify``/``--no-verify`` winning, ``--`` ending
the options. Strings run by ``sh -c``, ``bash -lc``, ``eval`` and git aliases are read the
same way. A command that cannot be split and mentions git is refused: it cannot be read.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator

OURS = "ai-governance"  # every hook id of ours starts with it (pre-commit's SKIP=)
SEPARATORS = {"{", "}", "$", "!", "then", "do", "else", "elif"}  # words that start a command
SHELLS = {"sh", "bash", "zsh", "dash", "ksh", "fish", "ash"}
WRAPPERS = {"command", "exec", "nohup", "time", "builtin", "xargs", "stdbuf", "doas"}
VERIFY = {"commit", "push", "merge", "pull", "rebase", "am"}  # take --no-verify
DASH_N = {"commit", "am"}  # where -n is --no-verify (push: dry run; merge: no stat)
# Options of the subcommands above that take the next token (or the rest of a cluster) as
# their value; anything else that starts with "-" is a flag.
VALUED = {
    "commit": "mFCctuS",
    "am": "pCS",
    "merge": "mFsXS",
    "pull": "sXS",
    "rebase": "sXxS",
    "push": "o",
}
LONG_VALUED = {
    "--message",
    "--file",
    "--reuse-message",
    "--reedit-message",
    "--fixup",
    "--squash",
    "--template",
    "--author",
    "--date",
    "--cleanup",
    "--trailer",
    "--pathspec-from-file",
    "--receive-pack",
    "--repo",
    "--push-option",
    "--strategy",
    "--strategy-option",
    "--onto",
    "--exec",
}
BUILTINS = frozenset(  # git runs these itself: an alias of the same name is never used
    [
        "add",
        "am",
        "apply",
        "archive",
        "bisect",
        "blame",
        "branch",
        "bundle",
        "cat-file",
        "checkout",
        "cherry",
        "cherry-pick",
        "clean",
        "clone",
        "commit",
        "config",
        "count-objects",
        "describe",
        "diff",
        "difftool",
        "fetch",
        "format-patch",
        "fsck",
        "gc",
        "grep",
        "help",
        "init",
        "log",
        "ls-files",
        "ls-remote",
        "ls-tree",
        "merge",
        "merge-base",
        "mv",
        "notes",
        "pull",
        "push",
        "range-diff",
        "rebase",
        "reflog",
        "remote",
        "reset",
        "restore",
        "rev-list",
        "rev-parse",
        "revert",
        "rm",
        "shortlog",
        "show",
        "show-ref",
        "sparse-checkout",
        "stash",
        "status",
        "submodule",
        "switch",
        "tag",
        "var",
        "version",
        "whatchanged",
        "worktree",
    ]
)
GLOBAL_VALUED = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"}
HOOK_SWITCHES: dict[str, Callable[[str], bool]] = {  # variables that turn hooks off, and when
    "HUSKY": lambda v: v == "0",
    "HUSKY_SKIP_HOOKS": lambda v: v not in ("", "0"),
    "LEFTHOOK": lambda v: v.lower() in ("0", "false"),
    "SKIP": lambda v: any(i.strip().startswith(OURS) for i in v.split(",")),
    "GIT_CONFIG_PARAMETERS": lambda v: "core.hookspath" in v.lower(),
}
HOOK_PATHS = re.compile(r"(^|/)(\.git/hooks|\.husky|\.githooks)(/|$)|\.pre-commit-config\.ya?ml$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")

Aliases = Callable[[str], str | None]  # alias name -> its expansion from git's config


def _tokens(command: str) -> list[str]:
    lexer = shlex.shlex(command, posix=True, punctuation_chars="();<>|&\n`")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def _simple_commands(tokens: list[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for token in tokens:
        if token in SEPARATORS or (token and set(token) <= set(";&|()\n`<>")):
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def reasons(command: str, aliases: Aliases, depth: int = 0) -> list[str]:
    """Why ``command`` skips git hooks: one line a way it does; empty when it does not."""
    try:
        tokens = _tokens(command)
    except ValueError:
        if "git" in command:
            return ["it cannot be split as a shell would (an unclosed quote?), and it runs git"]
        return []
    found: list[str] = []
    exported: dict[str, str] = {}
    for words in _simple_commands(tokens):
        found += _simple(words, exported, aliases, depth)
    return found


def _env_reasons(env: dict[str, str]) -> list[str]:
    found = [
        f"{name}={value} turns git hooks off"
        for name, value in env.items()
        if name in HOOK_SWITCHES and HOOK_SWITCHES[name](value)
    ]
    keys = {n: v for n, v in env.items() if n.startswith("GIT_CONFIG_KEY_")}
    for name, value in keys.items():
        if value.lower() == "core.hookspath":
            found.append(f"{name}=core.hooksPath points git at other hooks (or none)")
    return found


def _simple(words: list[str], exported: dict[str, str], aliases: Aliases, depth: int) -> list[str]:
    env: dict[str, str] = {}
    while words and _ASSIGNMENT.match(words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if not words:
        exported.update(env)  # VAR=x on its own line sets it for this shell
        return _env_reasons(env)
    name = words[0].rsplit("/", 1)[-1].lstrip("\\")
    if name == "export":
        pairs = dict(w.partition("=")[::2] for w in words[1:] if "=" in w)
        exported.update(pairs)
        return _env_reasons(pairs)
    found = _env_reasons(env)
    if name in WRAPPERS or name in ("env", "sudo", "nice", "timeout", "ionice", "chrt"):
        return found + _simple(_unwrap(name, words[1:]), exported, aliases, depth)
    if name in SHELLS or name == "eval":
        return found + _shell(name, words[1:], aliases, depth)
    if name in ("git", "git.exe") or name.startswith("$"):
        return found + _git(words[1:], {**exported, **env}, aliases, depth)
    if name in ("rm", "mv", "chmod", "truncate", "ln", "unlink", "shred"):
        touched = [w for w in words[1:] if HOOK_PATHS.search(w.rstrip("/"))]
        return found + [f"`{name}` on {', '.join(touched)} disables git hooks"] * bool(touched)
    if name == "pre-commit" and words[1:2] == ["uninstall"]:
        return [*found, "`pre-commit uninstall` removes the git hooks"]
    return found


def _unwrap(name: str, rest: list[str]) -> list[str]:
    """The command a wrapper runs: its own options (and, for env, assignments) dropped."""
    words = list(rest)
    while words:
        word = words[0]
        if name == "env" and _ASSIGNMENT.match(word):
            break  # env's assignments are the command's environment: the caller reads them
        if name == "timeout" and re.fullmatch(r"[\d.]+[smhd]?", word):
            words.pop(0)
            continue
        if name in ("nice", "ionice", "chrt") and re.fullmatch(r"-?\d+", word):
            words.pop(0)
            continue
        if word.startswith("-") and word != "-":
            words.pop(0)
            if word in ("-u", "-n", "-g", "-C", "-S", "-c", "-k", "-s", "--signal"):
                if word == "-S" and name == "env" and words:  # env -S 'git commit -n'
                    return _tokens(words[0])
                if words:
                    words.pop(0)
            continue
        break
    return words


def _shell(name: str, rest: list[str], aliases: Aliases, depth: int) -> list[str]:
    if depth > 4:
        return ["shells nested too deep to read"]
    if name == "eval":
        return reasons(" ".join(rest), aliases, depth + 1)
    for index, word in enumerate(rest):
        if word.startswith("-") and "c" in word.lstrip("-") and not word.startswith("--"):
            return reasons(rest[index + 1], aliases, depth + 1) if index + 1 < len(rest) else []
    return []


def _git(args: list[str], env: dict[str, str], aliases: Aliases, depth: int) -> list[str]:
    found: list[str] = []
    index = 0
    while index < len(args) and args[index].startswith("-"):
        option = args[index]
        value = ""
        if option in GLOBAL_VALUED and index + 1 < len(args):
            value = args[index + 1]
            index += 1
        elif "=" in option:
            option, _, value = option.partition("=")
        if option == "-c" and value.lower().startswith("core.hookspath"):
            found.append(f"`git -c {value}` points git at other hooks (or none)")
        if option == "--config-env" and value.lower().startswith("core.hookspath"):
            found.append(f"`git --config-env={value}` points git at other hooks (or none)")
        if option == "-c" and value.lower().startswith("alias."):
            alias, _, inline = value.partition("=")
            aliases = _with(aliases, alias[len("alias.") :], inline)
        index += 1
    if index >= len(args):
        return found
    sub, rest = args[index], args[index + 1 :]
    if sub == "config":
        return found + _config(rest, aliases, depth)
    if sub in ("commit-tree", "fast-import"):
        return [*found, f"`git {sub}` makes commits without running any hook"]
    if sub in VERIFY:
        return found + _verify(sub, rest)
    expansion = aliases(sub) if depth < 4 and sub not in BUILTINS else None
    if expansion is not None:
        if expansion.startswith("!"):
            return found + reasons(expansion[1:] + " " + shlex.join(rest), aliases, depth + 1)
        return found + _git([*_tokens(expansion), *rest], env, aliases, depth + 1)
    return found


def _with(aliases: Aliases, name: str, expansion: str) -> Aliases:
    return lambda wanted: expansion if wanted == name else aliases(wanted)


CONFIG_VALUED = {"-f", "--file", "--blob", "--type", "--default", "--comment"}


def _config(rest: list[str], aliases: Aliases, depth: int) -> list[str]:
    """``git config`` that points git at other hooks, or defines an alias that skips them
    (used in the same command, the alias is not in the repository's config yet)."""
    words: list[str] = []
    writes = False
    index = 0
    while index < len(rest):
        word = rest[index]
        index += 1
        if word in CONFIG_VALUED:
            index += 1  # its value (a file, a type) is no key
        elif word in ("--unset", "--unset-all", "--replace-all", "--add", "--remove-section"):
            writes = True
        elif not word.startswith("-"):
            words.append(word)
    if words[:1] in (["set"], ["unset"]):
        writes, words = True, words[1:]
    key = words[0].lower() if words else ""
    if key == "core.hookspath" and (writes or len(words) > 1):
        return ["`git config core.hooksPath` points git at other hooks (or none)"]
    if key.startswith("alias.") and len(words) > 1 and depth < 4:
        expansion = words[1]
        if expansion.startswith("!"):
            return reasons(expansion[1:], aliases, depth + 1)
        return _git(_tokens(expansion), {}, aliases, depth + 1)
    return []


def _verify(sub: str, rest: list[str]) -> list[str]:
    skipped = False
    short_values = VALUED.get(sub, "")
    index = 0
    while index < len(rest):
        word = rest[index]
        index += 1
        if word == "--":
            break
        if word.startswith("--"):
            name = word.split("=", 1)[0]
            if name in LONG_VALUED and "=" not in word:
                index += 1
            elif len(name) >= len("--no-veri") and "--no-verify".startswith(name):
                skipped = True
            elif len(name) >= len("--ver") and "--verify".startswith(name):
                skipped = False
            continue
        if word.startswith("-") and len(word) > 1:
            for at, flag in enumerate(word[1:], start=1):
                if flag == "n" and sub in DASH_N:
                    skipped = True
                if flag in short_values:
                    if at == len(word) - 1 and flag not in "uS":
                        index += 1  # its value is the next word
                    break
    return [f"`git {sub} --no-verify` skips the repository's hooks"] if skipped else []
