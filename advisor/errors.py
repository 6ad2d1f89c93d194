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
        What is wrong, what was expected and what was found: an
        :class:`advisor.texts.Message` (code ``ingest.error.*`` with its figures, de/en/tr in
        ``importer.po``). Plain English text is left only for programming errors (a caller passed a
        wrong type); ``tests/test_catalogues.py`` fails on any other string literal.
    source
        File name (or ``"<buffer>"``) the problem was found in, if any.
    line
        1-based line number in that file, if known.
    timestamp
        The offending timestamp as text, if known.

    Attributes
    ----------
    reason
        ``message`` as given (without the where-prefix).
    message
        The full message with its where-prefix (``file.csv, line 3: …``); a Message whenever
        ``message`` was one, so ``advisor.texts.localized(exc, "message", "de")`` gives
        ``Datei file.csv, Zeile 3: …``. ``str(exc)`` is English.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        timestamp: str | None = None,
    ) -> None:
        from advisor.texts import Message, join  # local: keep `errors` free of import cycles

        self.reason = message
        self.source = source
        self.line = line
        self.timestamp = timestamp
        where = []
        if source:
            where.append(Message("ingest.error.where.file", name=str(source)))
        if line is not None:
            where.append(Message("ingest.error.where.line", n=int(line)))
        if timestamp is not None:
            where.append(Message("ingest.error.where.at", time=str(timestamp)))
        if not where:
            self.message = message
        elif isinstance(message, Message):
            self.message = Message("ingest.error.located", where=join(where, ", "), reason=message)
        else:  # an English-only (internal) message keeps an English prefix
            self.message = f"{', '.join(str(w) for w in where)}: {message}"
        super().__init__(str(self.message))

    def text(self, lang: str = "de") -> str:
        """The full message in ``lang`` (English where the message has no code)."""
        from advisor.texts import localize

        return localize(self.message, lang)


class NotFittedError(AdvisorError, ValueError, AttributeError):
    """A model was used before it was fitted or loaded."""


class ModelArtifactError(AdvisorError, ValueError):
    """A model artifact on disk fails its integrity or compatibility check."""


class SeedError(AdvisorError, ValueError):
    """A seeds file is missing, malformed or lacks its source and date."""


class DataQualityWarning(UserWarning):
    """Recoverable oddity in the data (short gaps, substitutes, a partial year)."""
