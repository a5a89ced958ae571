"""Filters that keep the CMS's log readable: one line for what is not a fault of the server."""

from __future__ import annotations

import logging


class ClientErrorsInOneLine(logging.Filter):
    """A refused request (403, 404, 400: Django logs it with the exception that refused it) is
    one line, without the traceback of a permission check or a bad form; 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
