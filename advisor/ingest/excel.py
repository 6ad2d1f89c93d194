"""Excel exports (.xlsx) of meter portals: first sheet, same column logic as the CSV reader.

The workbook is opened with openpyxl in read-only, values-only mode (``defusedxml`` guards the
XML when installed); the dispatcher has already applied its size and zip-bomb limits. Cells are
turned into text (dates ISO, numbers with a decimal point) and handed to
:func:`advisor.ingest.csv.parse_table`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import numpy as np

from advisor.errors import LoadCurveError
from advisor.ingest.csv import MAX_ROWS, parse_table
from advisor.loadcurve import LoadCurve
from advisor.texts import Message

FORMAT = "excel"
_COMMA_NUMBER = re.compile(r"^[+-]?\d[\d.]*,\d+$")
MAX_COLUMNS = 200
MAX_MEMBERS = 1000


def sniff(head: bytes, name: str) -> bool:
    """An Office Open XML zip (``[Content_Types].xml`` / ``xl/`` near the start) or a .xlsx name."""
    if head[:4] != b"PK\x03\x04":
        return False
    return b"xl/" in head[:4096] or b"[Content_Types].xml" in head[:4096] or name.lower().endswith((".xlsx", ".xlsm"))


def _check_zip_limits(raw: bytes, source: str) -> None:
    """Refuse workbooks whose members would expand beyond the dispatcher's limits (zip bombs).

    The dispatcher leaves Office zips to this reader, so the same size and ratio caps are applied
    here from the zip directory, before any XML is inflated.
    """
    from advisor.ingest import MAX_COMPRESSION_RATIO, MAX_DECOMPRESSED_BYTES

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise LoadCurveError(Message("ingest.error.excel.damaged_detail", detail=str(exc)), source=source) from None
    if len(members) > MAX_MEMBERS:
        raise LoadCurveError(Message("ingest.error.excel.parts", n=len(members), max=MAX_MEMBERS), source=source)
    total = sum(m.file_size for m in members)
    if total > MAX_DECOMPRESSED_BYTES:
        raise LoadCurveError(
            Message("ingest.error.excel.bomb", mb=round(total / 1e6), mib=MAX_DECOMPRESSED_BYTES // 2**20),
            source=source,
        )
    for m in members:
        if m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) + (1 << 20):
            raise LoadCurveError(
                Message("ingest.error.excel.part_bomb", part=repr(m.filename), ratio=round(m.file_size / max(m.compress_size, 1))),
                source=source,
            )


def _cell_text(v, comma: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, (int, float)):
        txt = f"{v:.12g}" if isinstance(v, float) and np.isfinite(v) else str(v)
        return txt.replace(".", ",") if comma else txt
    return str(v)


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    """Read the first sheet of an .xlsx export into load curves."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - dependency of the package
        raise LoadCurveError(Message("ingest.error.excel.openpyxl"), source=source) from None
    _check_zip_limits(raw, source)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise LoadCurveError(Message("ingest.error.excel.damaged", error=type(exc).__name__), source=source) from None
    except Exception as exc:  # noqa: BLE001 - defusedxml and openpyxl raise many types on hostile input
        raise LoadCurveError(Message("ingest.error.excel.unreadable", error=type(exc).__name__), source=source) from None
    try:
        if not wb.sheetnames:
            raise LoadCurveError(Message("ingest.error.excel.no_sheets"), source=source)
        ws = wb[wb.sheetnames[0]]
        raw_rows: list[list] = []
        native_numbers = True
        try:
            for k, row in enumerate(ws.iter_rows(values_only=True)):
                if k > MAX_ROWS + 60:
                    raise LoadCurveError(Message("ingest.error.excel.too_many_rows", max=MAX_ROWS), source=source)
                cells = list(row[:MAX_COLUMNS])
                while cells and cells[-1] is None:
                    cells.pop()
                if native_numbers and any(isinstance(c, str) and _COMMA_NUMBER.match(c.strip()) for c in cells):
                    native_numbers = False
                raw_rows.append(cells)
        except LoadCurveError:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged sheet XML surfaces while iterating
            raise LoadCurveError(Message("ingest.error.excel.damaged_sheet", error=type(exc).__name__), source=source) from None
    finally:
        wb.close()
    if not raw_rows:
        raise LoadCurveError(Message("ingest.error.excel.empty_sheet"), source=source)
    # numbers typed as text with a decimal comma: write the native numbers the same way
    comma = not native_numbers
    # openpyxl returns date-formatted cells as datetimes at midnight: a column whose datetimes are
    # all at midnight is a date column (its times are in another column)
    ncol = max(len(r) for r in raw_rows)
    date_only = set()
    for j in range(ncol):
        stamps = [r[j] for r in raw_rows if len(r) > j and isinstance(r[j], dt.datetime)]
        if stamps and all(x.time() == dt.time(0) for x in stamps):
            date_only.add(j)
    rows = [
        [c.strftime("%Y-%m-%d") if j in date_only and isinstance(c, dt.datetime) else _cell_text(c, comma) for j, c in enumerate(r)]
        for r in raw_rows
    ]
    return parse_table(
        rows,
        np.arange(1, len(rows) + 1),
        options,
        source,
        fmt=FORMAT,
        decimal="." if native_numbers else None,
        notes=(f"read the first sheet {ws.title!r} of the workbook",),
    )
