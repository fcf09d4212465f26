"""The design document's rollback policy, written once.

`stacks/config.py` refuses an environment whose alarms are looser than these limits, the
alarm builders default to them, and the lint rules (E9022, E9030) check templates against
them, so a limit changes in one place.
"""

# Roll back when more than this share of the new version's invocations fail (Errors /
# Invocations, in percent) ...
ERROR_RATE_PERCENT = 10.0
# ... or more than this share of API requests answer 5xx (percent) ...
API_5XX_PERCENT = 5.0
# ... or the dead-letter queue holds more than this many messages (the first one counts).
DLQ_MESSAGES = 0

# Recovery time objective: from the first bad request to the old version serving again.
RTO_SECONDS = 300
