"""Recall per kind of leak and false positives per benign file, on the leak corpus.

    python tools/scan_recall.py [--corpus tests/lambdas/corpus] [--format text|markdown]

A secret counts as found when the scanner reports a finding on its line (the corpus'
``manifest.json`` lists them; ``tools/make_leak_corpus.py`` generates the corpus). Any finding
on a line the manifest does not list, and any finding in a benign file, is a false positive.
Exit 0 when recall is 100 % and false positives are within FALSE_POSITIVE_BUDGET, 1 otherwise,
2 on a missing corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lambdas"))

DEFAULT_CORPUS = REPO / "tests" / "lambdas" / "corpus"
# Findings allowed in the benign corpus (see the README, "Scanner: recall and bounded time").
FALSE_POSITIVE_BUDGET = 0


@dataclass
class Figures:
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    missed: list[str] = field(default_factory=list)
    false_positives: dict[str, list[str]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.total.values()))

    @property
    def false_positive_count(self) -> int:
        return sum(len(v) for v in self.false_positives.values())


def measure(corpus: Path) -> Figures:
    from security_assistant.scanner import scan_text

    manifest = json.loads((corpus / "manifest.json").read_text())
    figures = Figures()
    for name, secrets in sorted(manifest.items()):
        findings = scan_text((corpus / "leaks" / name).read_text(encoding="utf-8"), name)
        by_line = defaultdict(set)
        for finding in findings:
            by_line[finding["line"]].add(finding["type"])
        expected = {s["line"] for s in secrets}
        for secret in secrets:
            kind, line = secret["kind"], secret["line"]
            figures.total[kind] += 1
            if by_line.get(line):
                figures.found[kind] += 1
                figures.types[kind] |= by_line[line]
            else:
                figures.missed.append(f"leaks/{name}:{line} ({kind})")
        extra = [f"{f['line']}: {f['type']}" for f in findings if f["line"] not in expected]
        if extra:
            figures.false_positives[f"leaks/{name}"] = extra
    for path in sorted((corpus / "benign").iterdir()):
        findings = scan_text(path.read_text(encoding="utf-8"), path.name)
        figures.false_positives[f"benign/{path.name}"] = [
            f"{f['line']}: {f['type']}" for f in findings
        ]
    return figures


def render(figures: Figures, markdown: bool) -> str:
    rows = [
        (
            kind,
            f"{figures.found[kind]}/{figures.total[kind]}",
            ", ".join(sorted(figures.types[kind])),
        )
        for kind in sorted(figures.total)
    ]
    fp_rows = [
        (name, str(len(v)), "; ".join(v)) for name, v in sorted(figures.false_positives.items())
    ]
    if markdown:
        out = ["| kind | found | reported as |", "|---|---|---|"]
        out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        out += ["", "| file | false positives |", "|---|---|"]
        out += [f"| {a} | {b} |" for a, b, _ in fp_rows]
    else:
        width = max(len(r[0]) for r in rows)
        out = [f"{a:<{width}}  {b:>5}  {c}" for a, b, c in rows]
        out += ["", "false positives:"]
        out += [f"  {a}: {b}" + (f"  ({c})" if c else "") for a, b, c in fp_rows]
    found, total = sum(figures.found.values()), sum(figures.total.values())
    out += [
        "",
        f"recall {figures.recall:.1%} ({found}/{total}), "
        f"false positives {figures.false_positive_count} (budget {FALSE_POSITIVE_BUDGET})",
    ]
    out += [f"missed: {m}" for m in figures.missed]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.json").is_file():
        print(
            f"error: no manifest.json in {args.corpus}; run tools/make_leak_corpus.py",
            file=sys.stderr,
        )
        return 2
    figures = measure(args.corpus)
    print(render(figures, args.format == "markdown"))
    ok = figures.recall == 1.0 and figures.false_positive_count <= FALSE_POSITIVE_BUDGET
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
