"""k-anonymous reporting cells: every published group figure covers at least ``k`` households.

The strata of the assignment (``<class>-q<quintile>``) are often small. Before any figure per
stratum is published they are turned into a **partition** of cells of at least ``k`` households:

1. a stratum with at least ``k`` households is a cell of its own;
2. the small strata of one Stromspiegel class are pooled into one cell of that class;
3. what is still below ``k`` is pooled across classes into one remainder cell;
4. a remainder still below ``k`` is merged into the smallest cell already formed.

Nothing is suppressed while the portfolio has at least ``k`` households, so the published
cells always add up to the whole portfolio: no small group can be recovered as the difference
between the overall figure and the published cells. A portfolio below ``k`` gets no figure
at all (:func:`reportable`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

REMAINDER = "other"


@dataclass(frozen=True)
class Cell:
    """One published reporting cell.

    Attributes
    ----------
    label
        Name in outputs: the stratum (``C-q3``), a class with several strata (``C``), or
        ``other``.
    strata
        The strata it covers, sorted.
    n_households
        Households in the cell.
    merged
        True when it pools several strata.
    """

    label: str
    strata: tuple[str, ...]
    n_households: int
    merged: bool


def class_of(stratum: str) -> str:
    """The class part of a stratum label (``C-q3`` -> ``C``)."""
    return stratum.rsplit("-q", 1)[0]


def reportable(n_households: int, k: int) -> bool:
    """True when a figure over ``n_households`` may be published."""
    return int(n_households) >= int(k)


def k_anonymous_cells(counts: Mapping[str, int], k: int) -> list[Cell]:
    """A partition of the strata into cells of at least ``k`` households (module docstring).

    Parameters
    ----------
    counts
        Households per stratum.
    k
        Minimum households per published cell (seed ``evaluation.k_anonymity``).

    Returns
    -------
    list of Cell
        Sorted by label; empty when the whole portfolio has fewer than ``k`` households, and a
        single cell (everything) when no finer partition reaches ``k``.
    """
    if k < 1:
        raise ValueError(f"`k` must be at least 1; got {k}")
    counts = {str(s): int(n) for s, n in counts.items() if int(n) > 0}
    if sum(counts.values()) < k:
        return []
    cells: list[list] = []  # [label, strata list, n]
    small: dict[str, list[str]] = {}
    for s in sorted(counts):
        if counts[s] >= k:
            cells.append([s, [s], counts[s]])
        else:
            small.setdefault(class_of(s), []).append(s)
    rest: list[str] = []
    for cls in sorted(small):
        strata = small[cls]
        n = sum(counts[s] for s in strata)
        if n >= k:
            cells.append([cls if len(strata) > 1 else strata[0], strata, n])
        else:
            rest.extend(strata)
    if rest:
        n = sum(counts[s] for s in rest)
        if n >= k or not cells:
            cells.append([REMAINDER, rest, n])
        else:
            smallest = min(cells, key=lambda c: (c[2], c[0]))
            smallest[1] = smallest[1] + rest
            smallest[2] += n
            smallest[0] = smallest[0] if smallest[0] == REMAINDER else f"{smallest[0]}+{REMAINDER}"
    return sorted(
        (Cell(label, tuple(sorted(strata)), n, len(strata) > 1) for label, strata, n in cells),
        key=lambda c: c.label,
    )


@dataclass(frozen=True)
class Bin:
    """One bar of a k-anonymous histogram.

    Attributes
    ----------
    low, high
        Rounded bin edges in the values' unit; None for an open first (``< high``) or last
        (``>= low``) bin, so that no edge is the smallest or largest household's own value.
    n_households
        Households in the bin (at least ``k``).
    """

    low: float | None
    high: float | None
    n_households: int


def k_anonymous_bins(values, k: int, *, step: float, max_bins: int = 12) -> list[Bin]:
    """Histogram bins of at least ``k`` values each, edges at rounded quantiles.

    Edges are quantiles of the values rounded to a multiple of ``step`` (e.g. 100 kWh), the
    outer bins are open, and neighbouring bins are merged until each holds ``k`` values. Fewer
    than ``k`` values in total give no bins at all.
    """
    import numpy as np

    v = np.sort(np.asarray([x for x in values if x is not None and np.isfinite(x)], dtype=float))
    if len(v) < k:
        return []
    n_bins = max(1, min(max_bins, len(v) // k))
    qs = np.quantile(v, np.arange(1, n_bins) / n_bins) if n_bins > 1 else np.array([])
    edges = sorted({float(np.round(q / step) * step) for q in qs})
    bounds = [-np.inf, *edges, np.inf]
    counts = [int(((v >= lo) & (v < hi)).sum()) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    cells = [[bounds[i], bounds[i + 1], counts[i]] for i in range(len(counts))]
    merged: list[list] = []
    for cell in cells:
        if merged and merged[-1][2] < k:
            merged[-1][1], merged[-1][2] = cell[1], merged[-1][2] + cell[2]
        else:
            merged.append(cell)
    while len(merged) > 1 and merged[-1][2] < k:
        last = merged.pop()
        merged[-1][1], merged[-1][2] = last[1], merged[-1][2] + last[2]
    return [Bin(None if not np.isfinite(lo) else lo, None if not np.isfinite(hi) else hi, n) for lo, hi, n in merged]


def k_anonymous_counts(counts, k: int, *, other: str = "other") -> list[tuple[str, int]]:
    """Category counts with every category below ``k`` pooled into ``other`` (itself merged into
    the smallest category when it stays below ``k``); nothing when the total is below ``k``.

    ``counts`` is an ordered sequence of ``(label, n)``; the order is kept.
    """
    counts = [(str(lbl), int(n)) for lbl, n in counts if int(n) > 0]
    if sum(n for _, n in counts) < k:
        return []
    kept = [(lbl, n) for lbl, n in counts if n >= k]
    rest = sum(n for _, n in counts if n < k)
    if rest == 0:
        return kept
    if rest >= k or not kept:
        return [*kept, (other, rest)]
    i = min(range(len(kept)), key=lambda j: kept[j][1])
    lbl, n = kept[i]
    kept[i] = (f"{lbl} + {other}", n + rest)
    return kept


def k_anonymous_ordered_counts(counts, k: int) -> list[tuple[str, int]]:
    """Counts of ordered categories (Stromspiegel classes A…G): neighbours below ``k`` are
    merged into ranges (``F–G``) until every bar holds ``k``; nothing below ``k`` in total."""
    counts = [(str(lbl), int(n)) for lbl, n in counts]
    if sum(n for _, n in counts) < k:
        return []
    merged: list[list] = []
    for lbl, n in counts:
        if merged and merged[-1][2] < k:
            merged[-1][1], merged[-1][2] = lbl, merged[-1][2] + n
        else:
            merged.append([lbl, lbl, n])
    while len(merged) > 1 and merged[-1][2] < k:
        last = merged.pop()
        merged[-1][1], merged[-1][2] = last[1], merged[-1][2] + last[2]
    return [(a if a == b else f"{a}–{b}", n) for a, b, n in merged]
