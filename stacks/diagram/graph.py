"""The architecture as a Mermaid flowchart, derived from a SAM template.

Every resource is a node, grouped by what it does; every edge comes from the template: a
`Ref`/`Fn::GetAtt`/`Fn::Sub` from one resource to another, an event source, a DLQ, a
deployment preference's alarms and hooks. Edges point the way work or data flows (API ->
function -> table, queue -> worker, DLQ -> alarm -> deployment preference), so references
that "watch" or "consume" something are drawn reversed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stacks.references import referenced

GROUPS = ("edge", "compute", "storage", "messaging", "observability", "deployment", "other")
_GROUP_OF_SERVICE = {
    "ApiGateway": "edge",
    "ApiGatewayV2": "edge",
    "Lambda": "compute",
    "S3": "storage",
    "DynamoDB": "storage",
    "SQS": "messaging",
    "SNS": "messaging",
    "Events": "messaging",
    "CloudWatch": "observability",
    "Logs": "observability",
    "Budgets": "observability",
    "CodeDeploy": "deployment",
    "IAM": "deployment",
}
_GROUP_OF_SAM = {"Api": "edge", "HttpApi": "edge", "Function": "compute", "SimpleTable": "storage"}

# How a change is marked in a review (GitHub's diff colours).
CHANGE_STYLES = {
    "added": "fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
    "removed": "fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 3",
    "modified": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
}

# Properties whose references run against the flow: the referencing resource consumes or
# watches the referenced one.
_REVERSED = {"Events": "event", "Metrics": "metric", "Dimensions": "metric"}
_LABELS = {
    "RedrivePolicy": "DLQ",
    "AlarmActions": "notifies",
    "OKActions": "notifies",
    "NotificationsWithSubscribers": "notifies",
    "AccessLogSetting": "logs",
    "LoggingConfig": "logs",
}


def group(rtype: str) -> str:
    parts = rtype.split("::")
    if len(parts) == 3 and parts[1] == "Serverless":
        return _GROUP_OF_SAM.get(parts[2], "other")
    return _GROUP_OF_SERVICE.get(parts[1], "other") if len(parts) == 3 else "other"


def _refs(value: Any, names: Iterable[str]) -> set[str]:
    """The resources among `names` that a value references."""
    return referenced(value) & set(names)


def _node_id(logical_id: str) -> str:
    # Mermaid keywords cannot be node ids; logical ids are alphanumeric otherwise.
    return f"{logical_id}_" if logical_id.lower() in ("end", "graph", "subgraph") else logical_id


class Graph:
    def __init__(self) -> None:
        self.nodes: dict[str, tuple[str, str]] = {}  # id -> (label, group)
        self.edges: dict[tuple[str, str], str] = {}  # (from, to) -> label

    def edge(self, src: str, dst: str, label: str = "") -> None:
        if src == dst:
            return
        old = self.edges.get((src, dst))
        self.edges[(src, dst)] = old or label


def _label(rid: str, rtype: str, detail: str = "") -> str:
    short = rtype.removeprefix("AWS::")
    return f"{rid}<br/><small>{short}{' · ' + detail if detail else ''}</small>"


def build(resources: Mapping[str, dict]) -> Graph:
    g = Graph()
    names = list(resources)
    for rid, res in sorted(resources.items()):
        rtype = str(res.get("Type", "?"))
        props = res.get("Properties") or {}
        alias = props.get("AutoPublishAlias") if isinstance(props, dict) else None
        g.nodes[rid] = (_label(rid, rtype, f"alias {alias}" if alias else ""), group(rtype))
        if not isinstance(props, dict):
            continue
        for key, value in sorted(props.items()):
            if key == "DeploymentPreference" and isinstance(value, dict):
                _deployment(g, rid, value, names)
                continue
            for target in sorted(_refs(value, names)):
                if key in _REVERSED or rtype == "AWS::Logs::LogGroup":
                    g.edge(target, rid, _REVERSED.get(key, "logs"))
                elif rtype == "AWS::SNS::Subscription":
                    g.edge(target, rid, "delivers")
                else:
                    g.edge(rid, target, _LABELS.get(key, ""))
    return g


def _deployment(g: Graph, fn: str, pref: dict, names: list[str]) -> None:
    """A deployment preference: its alarms roll the function's alias back, its hooks gate it."""
    node = f"{fn}Deployment"
    detail = pref.get("Type") if isinstance(pref.get("Type"), str) else ""
    g.nodes[node] = (_label(node, "DeploymentPreference", detail), "deployment")
    g.edge(node, fn, "shifts alias")
    for alarm in sorted(_refs(pref.get("Alarms"), names)):
        g.edge(alarm, node, "rolls back")
    for hook in sorted(_refs(pref.get("Hooks"), names)):
        g.edge(hook, node, "PreTraffic")


def mermaid(
    template: dict,
    changes: Mapping[str, str] | None = None,
    removed: Mapping[str, dict] | None = None,
    direction: str = "LR",
) -> str:
    """The flowchart of `template`; `changes` marks logical ids added/removed/modified and
    `removed` adds the resources the change deletes (from the old template)."""
    resources = dict(template.get("Resources") or {})
    resources.update(removed or {})
    g = build(resources)
    lines = [f"flowchart {direction}"]
    for name in GROUPS:
        members = sorted(n for n, (_, grp) in g.nodes.items() if grp == name)
        if not members:
            continue
        lines.append(f'  subgraph {name}["{name}"]')
        lines.extend(f'    {_node_id(n)}["{g.nodes[n][0]}"]' for n in members)
        lines.append("  end")
    for (src, dst), label in sorted(g.edges.items()):
        arrow = f"-->|{label}|" if label else "-->"
        lines.append(f"  {_node_id(src)} {arrow} {_node_id(dst)}")
    marked = {rid: status for rid, status in sorted((changes or {}).items()) if rid in g.nodes}
    for status, style in CHANGE_STYLES.items():
        ids = [_node_id(rid) for rid, s in marked.items() if s == status]
        if ids:
            lines.append(f"  classDef {status} {style}")
            lines.append(f"  class {','.join(ids)} {status}")
    return "\n".join(lines) + "\n"
