"""`python -m stacks diff`: what changes between two versions of a template, per resource.

`semantic` compares two template dicts, `sources` loads them (file, git revision, generated,
deployed stack), `render` prints the result as text or markdown, and `command` wires the CLI.
Only `command` is imported by `python -m stacks`; everything else loads when `diff` runs.
"""
