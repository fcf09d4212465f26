"""What Lambda and CloudWatch provide around a handler, for calling it without them.

One context stand-in and one reader of the metrics the handlers print (CloudWatch's
embedded metric format, EMF), shared by the local server, the tests and `tools/`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field


@dataclass
class LambdaContext:
    """The parts of the Lambda context object that Powertools and our handlers read."""

    function_name: str = "security-assistant-local"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = ""
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"
    remaining_millis: int = 30_000

    def __post_init__(self) -> None:
        self.invoked_function_arn = self.invoked_function_arn or (
            f"arn:aws:lambda:eu-west-2:000000000000:function:{self.function_name}"
        )
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_millis


def emf_totals(output: str) -> dict[str, float]:
    """Each metric's sum over the EMF documents in `output` (other lines are skipped)."""
    totals: dict[str, float] = {}
    for line in output.splitlines():
        if not line.startswith("{") or '"_aws"' not in line:
            continue
        doc = json.loads(line)
        for directive in doc["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                value = doc[metric["Name"]]
                total = sum(value) if isinstance(value, list) else value
                totals[metric["Name"]] = totals.get(metric["Name"], 0) + total
    return totals
