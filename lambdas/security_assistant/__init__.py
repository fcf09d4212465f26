"""security-assistant Lambda code: API, worker and CodeDeploy hooks.

Handlers (referenced by the SAM templates):
  security_assistant.api.handler        API Gateway REST proxy events
  security_assistant.worker.handler     SQS batches (ReportBatchItemFailures)
  security_assistant.hooks.pre_traffic  CodeDeploy PreTraffic hook of the API
  security_assistant.worker_hook.pre_traffic  CodeDeploy PreTraffic hook of the worker

Keep this module free of imports: it is on every handler's cold-start path.
"""

__version__ = "0.1.0"
