"""Reading template files that may be hostile: bounded size, nesting and alias expansion.

Every `stacks` command that reads a template a user names (`diff OLD NEW`, `lint
--template`) or one it did not write itself (git revisions, deployed stacks) goes through
here first, so that a bad file is a message and exit 2, never a traceback, a hang or memory
exhaustion:

- only regular files (a directory, FIFO or device is refused before it is opened);
- at most `MAX_BYTES` (CloudFormation's own limit for a template in S3 is 1 MB), UTF-8 text,
  no NUL bytes (a binary file is named as such);
- at most `MAX_DEPTH` levels of nesting (PyYAML composes recursively: 5 000 nested brackets
  would be a RecursionError) and `MAX_NODES` nodes with every alias expanded (a "billion
  laughs" file is a few lines that every later walk, comparison or serialisation expands).

The structure is checked on PyYAML's event stream, which the parser produces without
recursion and before any node is built, so the check itself is linear in the file's size.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

MAX_BYTES = 1_048_576
MAX_DEPTH = 100  # the real templates nest 12 levels deep
MAX_NODES = 200_000  # the real templates have about 3 000
# libyaml's safe loader when PyYAML was built with it (its wheels are): about ten times faster
# than the pure-Python one; both parse without recursion.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnsafeInputError(ValueError):
    """The input cannot be read safely; the message names the file and the reason."""


def read_text(path: str | Path, label: str | None = None) -> str:
    """The text of a regular, UTF-8, size-bounded file."""
    label = label or str(path)
    try:
        # O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UnsafeInputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UnsafeInputError(f"{label}: is a directory, not a template file") from None
    except OSError as exc:
        raise UnsafeInputError(f"{label}: cannot open: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise UnsafeInputError(f"{label}: is a directory, not a template file")
        raise UnsafeInputError(f"{label}: is not a regular file (a pipe, socket or device)")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return decode(data, label)


def decode(data: bytes, label: str) -> str:
    """`data` as text, or an error naming what it is instead."""
    if len(data) > MAX_BYTES:
        raise UnsafeInputError(f"{label}: larger than {MAX_BYTES} bytes; not a template")
    if b"\0" in data:
        raise UnsafeInputError(f"{label}: is a binary file (NUL bytes), not a template")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsafeInputError(
            f"{label}: is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def check_text(text: str, label: str) -> None:
    """Refuse text over the size, depth or expanded-node limits (see the module doc)."""
    if len(text) > MAX_BYTES:
        raise UnsafeInputError(f"{label}: larger than {MAX_BYTES} characters; not a template")
    if "\0" in text:
        raise UnsafeInputError(f"{label}: is a binary file (NUL bytes), not a template")
    sizes: dict[str, int] = {}  # expanded node count of each anchored node
    stack: list[list] = [[None, 0]]  # open collections: [anchor, expanded nodes so far]
    try:
        for event in yaml.parse(text, Loader=LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) > MAX_DEPTH:
                    raise UnsafeInputError(
                        f"{label}: nested more than {MAX_DEPTH} levels deep "
                        f"(line {event.start_mark.line + 1}); not a template"
                    )
                stack.append([event.anchor, 1])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            stack[-1][1] += size
            if stack[-1][1] > MAX_NODES:
                raise UnsafeInputError(
                    f"{label}: more than {MAX_NODES} nodes once its aliases are expanded "
                    "(an alias bomb?); not a template"
                )
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):  # libyaml's own limit (1 000), met first
            raise UnsafeInputError(
                f"{label}: nested more than {MAX_DEPTH} levels deep; not a template"
            ) from None
        raise UnsafeInputError(f"{label}: not YAML or JSON: {exc}") from None
