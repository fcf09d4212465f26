"""Print template diffs: text for a terminal, markdown for a pull-request comment."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

from stacks.diff.semantic import Entry, TemplateDiff, show

SYMBOLS = {"added": "+", "removed": "-", "modified": "~"}
_COLOURS = {"added": "32", "removed": "31", "modified": "33", "warning": "1;31", "title": "1"}

# A resource with more changed paths than this is collapsed in markdown.
COLLAPSE_OVER = 3


def use_colour(stream) -> bool:
    """Colour only for a person at a terminal who has not asked for none (no-color.org)."""
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _name(entry: Entry) -> str:
    prefix = "" if entry.section == "Template" else f"{entry.section}."
    return f"{prefix}{entry.logical_id}" + (f" ({entry.type})" if entry.type else "")


def text(diffs: Sequence[TemplateDiff], colour: bool = False) -> str:
    def paint(style: str, s: str) -> str:
        return f"\033[{_COLOURS[style]}m{s}\033[0m" if colour else s

    out: list[str] = []
    for d in diffs:
        title = f"{d.name}: " if d.name else ""
        out.append(paint("title", f"=== {title}{d.old_label} -> {d.new_label}"))
        out.extend(f"    note: {n}" for n in d.notes)
        if d.equal:
            out.append("    no changes")
            continue
        for w in d.warnings:
            out.append(paint("warning", f"!   {w.kind.upper()}: {w.message.replace('`', '')}"))
        for e in d.entries:
            out.append(paint(e.status, f"{SYMBOLS[e.status]} {_name(e)} {e.status}"))
            for c in e.changes:
                out.append(f"      {c.path or '(value)'}: {show(c.old)} -> {show(c.new)}")
        out.append(
            f"    {d.count('added')} added, {d.count('removed')} removed, "
            f"{d.count('modified')} modified, {len(d.warnings)} warnings"
        )
    return "\n".join(out) + "\n"


def _code(value) -> str:
    """A value as inline code that survives markdown tables (pipes) and HTML."""
    s = html.escape(show(value), quote=False).replace("|", "&#124;")
    return f"<code>{s}</code>"


def markdown(diffs: Sequence[TemplateDiff], review: str = "") -> str:
    import jinja2  # lazy: only markdown output needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=False,  # markdown, not HTML; values go through the `code` filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["code"] = _code
    env.filters["md"] = lambda s: s.replace("|", "&#124;")
    return env.get_template("diff.md.j2").render(
        diffs=diffs, symbols=SYMBOLS, collapse_over=COLLAPSE_OVER, review=review
    )
