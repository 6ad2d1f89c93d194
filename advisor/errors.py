"""Exception and warning classes of Energie-Advisor.

Every error a user can cause derives from :class:`AdvisorError`; the CLI maps it to exit status 2
and prints only its message, the app shows it as a friendly note.
"""

from __future__ import annotations


class AdvisorError(Exception):
    """Base class of all errors the product raises on purpose."""


class LoadCurveError(AdvisorError, ValueError):
    """A meter file or load curve is unusable.

    The message names the file, the line or timestamp, what was expected and what was found.

    Parameters
    ----------
    message
        What is wrong, what was expected and what was found.
    source
        File name (or ``"<buffer>"``) the problem was found in, if any.
    line
        1-based line number in that file, if known.
    timestamp
        The offending timestamp as text, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        timestamp: str | None = None,
    ) -> None:
        self.reason = message
        self.source = source
        self.line = line
        self.timestamp = timestamp
        where = []
        if source:
            where.append(str(source))
        if line is not None:
            where.append(f"line {line}")
        if timestamp is not None:
            where.append(f"at {timestamp}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class NotFittedError(AdvisorError, ValueError, AttributeError):
    """A model was used before it was fitted or loaded."""


class ModelArtifactError(AdvisorError, ValueError):
    """A model artifact on disk fails its integrity or compatibility check."""


class SeedError(AdvisorError, ValueError):
    """A seeds file is missing, malformed or lacks its source and date."""


class DataQualityWarning(UserWarning):
    """Recoverable oddity in the data (short gaps, substitutes, a partial year)."""
