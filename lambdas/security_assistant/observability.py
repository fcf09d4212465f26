"""The Powertools Logger and Metrics shared by the handlers (module-level, Powertools idiom).

Service name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE
(set by the templates). No Tracer: tracing is off in the templates, and importing the X-Ray
SDK would only slow cold starts. Nothing here ever logs submitted content or secret values.
"""

from __future__ import annotations

import os
import warnings

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from . import contract as c

SERVICE = os.environ.get(c.POWERTOOLS_SERVICE_NAME) or c.SERVICE_NAME
NAMESPACE = os.environ.get(c.POWERTOOLS_METRICS_NAMESPACE) or c.METRICS_NAMESPACE

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
metrics.set_default_dimensions(environment=os.environ.get(c.ENV, "local"))
# GET requests legitimately publish no metric; don't warn on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")

# Metric names (one place, so dashboards and alarms can rely on them).
JOBS_SUBMITTED = "JobsSubmitted"
JOBS_FINISHED = "JobsFinished"
JOBS_FAILED = "JobsFailed"
FINDINGS = "Findings"
DUPLICATE_DELIVERIES = "DuplicateDeliveries"


def count(name: str, value: int = 1) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
