"""What a ``disclosure`` rule changes or refuses beyond the missing trailer: markers its
policy forbids, and the message file fixed before the commit-msg stage judges it."""

from __future__ import annotations

import re

from ai_governance.detect.markers import CO_AUTHOR, SIGN_OFF, Credit, ai_credits, tool_named_by
from ai_governance.detect.trailers import parse as parse_message
from ai_governance.policy.model import Rule
from ai_governance.report import Finding
from ai_governance.rules.context import Context, Prepared
from ai_governance.rules.disclosure_text import Options, judge_message, label, rule_options

_FORBIDDEN = {
    "ai-co-author": (CO_AUTHOR, "credits an AI as co-author"),
    "ai-sign-off": (SIGN_OFF, "has an AI sign off (only a human can certify the DCO)"),
}


def forbids(options: Options, ctx: Context) -> tuple[Finding, ...]:
    """What the policy's ``forbid`` refuses in the change's commits (and, for ``ai``, any
    evidence at all)."""
    if not options.forbid:
        return ()
    markers = ctx.policy.detect.markers
    findings: list[Finding] = []
    for commit in ctx.change.commits:
        for credit in ai_credits(markers, parse_message(commit.message)):
            for name, (key, text) in _FORBIDDEN.items():
                if name in options.forbid and credit.key.lower() == key:
                    instead = (
                        f"replace it with `{options.trailer}: {credit.tool}`"
                        if options.require == "trailer"
                        else "remove it and disclose in the pull request description"
                    )
                    findings.append(
                        Finding(
                            commit=commit.sha,
                            line=credit.line,
                            message=f"{label(commit)} {text}: `{credit.key}: {credit.value}`",
                            fix=instead if key == CO_AUTHOR else "remove the line",
                        )
                    )
    if "ai" in options.forbid and ctx.evidence:
        seen = "; ".join(f"{e.tool or e.marker}: {e.where}" for e in ctx.evidence)
        findings.append(
            Finding(
                message=f"the policy accepts no AI-assisted changes. Evidence: {seen}",
                fix="write the change without an AI assistant",
            )
        )
    return tuple(findings)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-")


def fill(template: str, tool: str, model: str) -> str:
    """``template`` with ``{tool}``, ``{model}`` and their ``_id`` forms (lower case,
    hyphens for blanks: ``claude-code``, ``claude-opus-4.6``) put in."""
    for name, value in (("tool", tool), ("model", model)):
        template = template.replace(f"{{{name}_id}}", _slug(value))
        template = template.replace(f"{{{name}}}", value)
    return template


_SOME_TOOL = "an AI assistant"  # a generic marker's tool: names no assistant


def prepare(rule: Rule, ctx: Context, text: str, comment: str) -> Prepared:
    """The message file with what the commit-msg stage would otherwise refuse fixed: the
    canonical disclosure naming each assistant the evidence shows is added to git's trailer
    block, and (with ``normalise``, or for an AI sign-off the policy forbids) the lines that
    credit an AI are taken out, but only once the disclosure stands in their place: the
    evidence is never erased. Nothing happens without evidence; nothing is added twice."""
    from ai_governance.detect.amend import add_trailers, drop_trailers, message_part

    options = rule_options(rule)
    proper = message_part(text, comment)
    written = [
        line for line in proper.split("\n") if line.strip() and not line.startswith(comment)
    ]
    if not ctx.evidence or not written or "ai" in options.forbid:
        return text, ()  # nothing to judge, nothing written yet (an editor opens), or no fix
    message = parse_message(proper, comment)
    credits = list(ai_credits(ctx.policy.detect.markers, message))
    disclosed = judge_message(options, message, [], "", None)[0]
    drop = {
        c.line: c
        for c in credits
        if (c.key.lower() == CO_AUTHOR and options.normalise)
        or (c.key.lower() == SIGN_OFF and "ai-sign-off" in options.forbid)
    }
    wanted = options.require == "trailer" or bool(drop)
    lines, notes = ([], []) if disclosed or not wanted else _lines(options, ctx, credits)
    # a line crediting an AI goes only when a disclosure names that tool in its place
    named = {tool_named_by(t.value) for t in message.trailers if t.key.lower() in options.keys}
    named |= {tool_named_by(line.split(":", 1)[1]) for line in lines}
    gone = {number: c for number, c in drop.items() if c.tool in named}
    if gone:
        text = drop_trailers(text, set(gone), comment)
        notes += [f"removed `{c.key}: {c.value}`" for c in gone.values()]
    notes += [f"added `{line}`" for line in lines]
    return add_trailers(text, lines, comment), tuple(notes)


def _lines(options: Options, ctx: Context, credits: list[Credit]) -> tuple[list[str], list[str]]:
    """(the disclosure lines to add, notes on what could not be written)."""
    models = {c.tool: c.model for c in credits if c.model}
    tools = sorted({e.tool for e in ctx.evidence if e.tool and e.tool != _SOME_TOOL})
    lines: list[str] = []
    notes: list[str] = []
    for tool in tools:
        model = models.get(tool)
        if "{model" in options.template and not model:
            notes.append(
                f"cannot tell which model {tool} used: add `{options.trailer}: ...` yourself"
            )
            continue
        value = fill(options.template, tool, model or "")
        if not options.value.search(value):
            notes.append(
                f"`{options.trailer}: {value}` would not match"
                f" /{options.value.pattern}/: add the disclosure yourself"
            )
            continue
        lines.append(f"{options.trailer}: {value}")
    if not tools:
        notes.append(
            f"AI assistance found but not which assistant: add `{options.trailer}: <name>`"
        )
    return lines, notes
