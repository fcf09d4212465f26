"""What a version of a function tells the rollback alarms: the contract between the code and
`stacks/service/alarms.py` (standard library only, so the template generator can read it).

Lambda's own `Errors` (by `ExecutedVersion`) see crashes and timeouts only. What a release gets
wrong without crashing, the code counts itself, as embedded-metric-format (EMF) metrics whose
dimensions name the function and the version that ran (`AWS_LAMBDA_FUNCTION_VERSION`), the
same scoping as Lambda's `ExecutedVersion`: the alarms compare the new version's failures with
its own traffic, so the old version's failures never roll back a fix.
"""

from . import contract

NAMESPACE = contract.METRICS_NAMESPACE
SERVICE = contract.SERVICE_NAME  # Powertools adds it as the `service` dimension

# ApiFunction: responses with a 5xx status (a client mistake is a 4xx and never counts).
SERVER_ERRORS = "ServerErrors"
# WorkerFunction: records received, and records failed for a reason that is not the message's
# own (a poison message or the job it names is bad data, not a bad release).
RECORDS = "Records"
FAILED_RECORDS = "FailedRecords"

# Dimension names, as Lambda names them in AWS/Lambda.
FUNCTION_NAME = "FunctionName"
EXECUTED_VERSION = "ExecutedVersion"
