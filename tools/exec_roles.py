"""What the execution roles grant, per environment: the figures behind `stacks/aws_facts.json`.

For each environment: the resource types of its expanded template, the handler permissions
its execution role holds, how many (resource, permission, ARN) checks the coverage test makes,
and the size of each managed policy against IAM's 6,144-character cap. Also times
`python -m stacks facts --check` (schemas + offline SAM expansion), the step the build skips.

    python tools/exec_roles.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stacks import aws_facts, bootstrap, config  # noqa: E402
from stacks.templates import TARGETS  # noqa: E402


def main() -> int:
    facts = aws_facts.committed()
    template = TARGETS["bootstrap"].make()
    for env in config.ENVIRONMENTS:
        types = facts["execution_permissions"][env]
        actions = {a for acts in types.values() for a in acts}
        policies = [
            (lid, bootstrap._size(r["Properties"]["PolicyDocument"]["Statement"]))
            for lid, r in template["Resources"].items()
            if r["Type"] == "AWS::IAM::ManagedPolicy" and lid.startswith(env.capitalize())
        ]
        print(
            f"{env:8} {len(types):2} resource types, {len(actions):3} distinct actions; "
            + ", ".join(f"{lid} {size}/6144 chars" for lid, size in policies)
        )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "stacks", "facts", "--check"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    print(f"python -m stacks facts --check: {time.perf_counter() - start:.1f} s")
    print(f"unscoped actions (Resource '*'): {json.dumps(facts['unscoped_actions'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
