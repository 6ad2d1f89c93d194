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
    message_de
        The same message in German (numbers in German format). When omitted, a German text is
        derived for the messages a household is likely to see (:func:`advisor.texts.error_de`);
        rare internal messages fall back to English.

    Attributes
    ----------
    message_de
        The full German message with its where-prefix (``Datei …, Zeile 3, Zeitpunkt …: …``);
        read it with ``advisor.texts.localized(exc, "message", "de")``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        timestamp: str | None = None,
        message_de: str | None = None,
    ) -> None:
        from advisor.texts import error_de  # local: texts is a leaf module, keep errors import-light

        self.reason = message
        self.reason_de = message_de if message_de is not None else error_de(message)
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
        where_de = []
        if source:
            where_de.append(f"Datei {source}")
        if line is not None:
            where_de.append(f"Zeile {line}")
        if timestamp is not None:
            where_de.append(f"Zeitpunkt {timestamp}")
        prefix_de = ", ".join(where_de)
        self.message = f"{prefix}: {message}" if prefix else message
        self.message_de = f"{prefix_de}: {self.reason_de}" if prefix_de else self.reason_de
        super().__init__(self.message)


class NotFittedError(AdvisorError, ValueError, AttributeError):
    """A model was used before it was fitted or loaded."""


class ModelArtifactError(AdvisorError, ValueError):
    """A model artifact on disk fails its integrity or compatibility check."""


class SeedError(AdvisorError, ValueError):
    """A seeds file is missing, malformed or lacks its source and date."""


class DataQualityWarning(UserWarning):
    """Recoverable oddity in the data (short gaps, substitutes, a partial year)."""
