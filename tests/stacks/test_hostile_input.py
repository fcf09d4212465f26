"""Hostile, malformed and oversized input: a message and exit 2 from every `stacks` command
that reads a file, never a traceback, a hang or all the memory (stacks/safe_yaml.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stacks import safe_yaml
from stacks.cli import main
from stacks.diff import sources
from stacks.diff.semantic import show
from stacks.templates import ROOT, TARGETS

GOOD = TARGETS["prod"].path


def bomb_lines(levels: int = 9, indent: int = 2) -> str:
    """Anchored lists that expand to 5 * 10**levels strings (the "billion laughs")."""
    pad = " " * indent
    lines = [f'{pad}l0: &l0 ["lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"{pad}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def alias_bomb(levels: int = 9) -> str:
    return "Resources: {}\nMetadata:\n" + bomb_lines(levels)


HOSTILE_TEXT = {
    "alias bomb under Metadata": (alias_bomb(), "aliases are expanded"),
    "alias bomb in a resource": (
        "Resources:\n  Bomb:\n    Type: AWS::SNS::Topic\n    Metadata:\n" + bomb_lines(indent=6),
        "aliases are expanded",
    ),
    "5 000 nested brackets": (
        "Resources: " + "[" * 5000 + "]" * 5000 + "\n",
        "nested more than 100 levels",
    ),
    "5 000 nested mappings": ("Resources: " + "{a: " * 5000 + "1" + "}" * 5000, "nested"),
    "not YAML": ("Resources: [unclosed\n", "not YAML or JSON"),
}
HOSTILE_BYTES = {
    "Latin-1 text": ("Description: caf\xe9\nResources: {}\n".encode("latin-1"), "not UTF-8"),
    "binary": (bytes(range(256)) * 4, "binary file"),
    "oversized": (b"# padding\n" * 110_000 + b"Resources: {}\n", "larger than"),
}


def hostile_files(tmp_path: Path) -> list[tuple[str, Path, str]]:
    files = []
    for name, (text, message) in HOSTILE_TEXT.items():
        path = tmp_path / f"{name.replace(' ', '_')}.yaml"
        path.write_text(text)
        files.append((name, path, message))
    for name, (data, message) in HOSTILE_BYTES.items():
        path = tmp_path / f"{name.replace(' ', '_')}.yaml"
        path.write_bytes(data)
        files.append((name, path, message))
    files.append(("a directory", tmp_path, "is a directory"))
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.yaml"
        os.mkfifo(fifo)  # reading it would block forever
        files.append(("a FIFO", fifo, "not a regular file"))
    if Path("/dev/zero").exists():
        files.append(("a device", Path("/dev/zero"), "not a regular file"))
    return files


def test_diff_refuses_each_hostile_file(tmp_path, capsys):
    for name, path, message in hostile_files(tmp_path):
        code = main(["diff", str(path), str(GOOD)])
        out, err = capsys.readouterr()
        assert (code, out) == (2, ""), name
        assert err.startswith("error: ") and message in err, (name, err)
    code = main(["diff", str(GOOD), str(tmp_path)])  # as the new side too
    assert code == 2 and "is a directory" in capsys.readouterr().err


def test_lint_refuses_each_hostile_file(tmp_path, capsys):
    for name, path, message in hostile_files(tmp_path):
        code = main(["lint", "--template", str(path), "--env", "prod"])
        out, err = capsys.readouterr()
        assert (code, out) == (2, ""), name
        assert err.startswith("error: ") and message in err, (name, err)


def test_real_templates_pass_the_limits():
    for target in TARGETS.values():
        safe_yaml.check_text(safe_yaml.read_text(target.path), target.name)


def test_limits_fire_just_above_and_not_at_them():
    at = "a: " + "[" * (safe_yaml.MAX_DEPTH - 1) + "]" * (safe_yaml.MAX_DEPTH - 1)
    safe_yaml.check_text(at, "at")
    with pytest.raises(safe_yaml.UnsafeInputError, match="nested"):
        safe_yaml.check_text("a: [" + at[3:] + "]", "over")
    small = alias_bomb(levels=3)  # 5 * 10**3 strings: fine
    safe_yaml.check_text(small, "small")
    with pytest.raises(safe_yaml.UnsafeInputError, match="aliases"):
        safe_yaml.check_text(alias_bomb(levels=5), "bomb")  # 5 * 10**5


def test_show_cuts_a_huge_value_without_serialising_it_whole():
    value: list = ["lol"] * 10
    for _ in range(9):
        value = [value] * 10  # 10**10 strings, shared: cheap to hold, not to print
    shown = show(value, limit=40)
    assert len(shown) == 40 and shown.endswith("…") and shown.startswith("[[[[")
    assert show({"b": 1, "a": [1, 2]}) == '{"a": [1, 2], "b": 1}'
    assert show("x" * 500, limit=10) == "x" * 9 + "…"


def test_the_refusal_through_the_real_entry_point(tmp_path):
    """`python -m stacks diff` in its own process: a message, exit 2, no traceback. (`stacks
    lint`'s process is tests/lint/test_command.py's smoke test; its refusals are the same code,
    tested in-process above.)"""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb())
    result = subprocess.run(
        [sys.executable, "-m", "stacks", "diff", str(bomb), str(GOOD)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stderr
    assert "aliases are expanded" in result.stderr and "Traceback" not in result.stderr


def test_diff_refuses_a_hostile_template_at_a_git_revision(monkeypatch, capsys):
    real = sources._git

    def git(*args):
        if args[0] == "show":
            return subprocess.CompletedProcess(args, 0, alias_bomb(), "")
        return real(*args)

    monkeypatch.setattr(sources, "_git", git)
    code = main(["diff", "--base", "HEAD", "--env", "prod"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "") and "aliases are expanded" in err
