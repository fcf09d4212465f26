"""The drill's scenarios: what goes wrong (or right), with the traffic it meets.

Traffic levels are stated per scenario: requests to the API and records through the queue per
minute, before the canary's share goes to the new version.
"""

from __future__ import annotations

from stacks.drill.simulation import Behaviour, Scenario

BUSY = "API 60 requests/min, queue 30 records/min"
HEALTHY_MIX = {"api": Behaviour(client_error=0.2)}  # a fifth of requests are client mistakes


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "api version crashes on every request",
        "rollback",
        BUSY,
        ("api",),
        60,
        30,
        new={"api": Behaviour(crash=1.0)},
    ),
    Scenario(
        "api version answers 5xx to 30% of requests (handled)",
        "rollback",
        BUSY,
        ("api",),
        60,
        30,
        new={"api": Behaviour(server_error=0.3, client_error=0.2)},
    ),
    Scenario(
        "worker version fails every record (batch item failures)",
        "rollback",
        BUSY,
        ("worker",),
        60,
        30,
        new={"worker": Behaviour(failed=1.0)},
    ),
    Scenario(
        "worker version times out",
        "rollback",
        BUSY,
        ("worker",),
        60,
        30,
        new={"worker": Behaviour(timeout=True)},
    ),
    Scenario(
        "api PreTraffic hook fails (new version cannot serve)",
        "rollback",
        BUSY,
        ("api",),
        60,
        30,
        new={"api": Behaviour(crash=1.0, hook_fails=True)},
    ),
    Scenario(
        "worker PreTraffic hook fails (storage unreachable)",
        "rollback",
        BUSY,
        ("worker",),
        60,
        30,
        new={"worker": Behaviour(failed=1.0, hook_fails=True)},
    ),
    Scenario(
        "new dead letters during the deployment (1/min from 60 s)",
        "rollback",
        BUSY,
        ("api", "worker"),
        60,
        30,
        dead_letters_from=60,
    ),
    Scenario(
        "healthy release (20% client 4xx, 10% poison messages)",
        "promote",
        BUSY,
        ("api", "worker"),
        60,
        30,
        new=HEALTHY_MIX,
        old=HEALTHY_MIX,
        poison_share=0.1,
    ),
    Scenario(
        "healthy release while the old version still fails",
        "promote",
        BUSY,
        ("api", "worker"),
        60,
        30,
        # The API incident being fixed. (A worker incident that is still dead-lettering would
        # roll its fix back through the DLQ alarm: that is what break glass is for.)
        old={"api": Behaviour(crash=0.5, server_error=0.5)},
    ),
    Scenario(
        "healthy release with an old DLQ backlog (25 messages)",
        "promote",
        BUSY,
        ("api", "worker"),
        60,
        30,
        dlq_backlog=25,
    ),
    Scenario(
        "healthy release with almost no traffic",
        "promote",
        "API 1 request/min, queue 1 record per 5 min",
        ("api", "worker"),
        1,
        0.2,
    ),
)
