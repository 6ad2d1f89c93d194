"""Build ``seeds/negative_price_hours.csv``: hours with negative day-ahead prices by month and hour.

Source: Bundesnetzagentur | SMARD.de, Großhandelspreise, day-ahead DE-LU, hourly (CC BY 4.0), as
stored in ``../shared/data/prices/de_lu_day_ahead_hourly_2023_2024_smard.csv``. The latest full
calendar year in the file is used (2024 here). Hours are local wall-clock hours (Europe/Berlin,
hour start 0..23); the October hour that occurs twice counts twice, the skipped March hour not at
all. Run:

    python benchmarks/build_negative_price_seed.py [PRICE_CSV] [--out seeds/negative_price_hours.csv]

and commit the CSV; the product reads only the seed, never the price file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from advisor.ingest.prices import read_day_ahead_prices

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "prices" / "de_lu_day_ahead_hourly_2023_2024_smard.csv"
SOURCE = "Bundesnetzagentur | SMARD.de, Grosshandelspreise day-ahead DE-LU, hourly, {year} (CC BY 4.0); counted by benchmarks/build_negative_price_seed.py"


def negative_hours_table(prices: pd.Series, year: int) -> pd.DataFrame:
    """Counts of negative-price hours per (month, local hour) of one year, with days per month."""
    local = prices.copy()
    local.index = prices.index.tz_convert("Europe/Berlin")
    local = local[local.index.year == year]
    frame = pd.DataFrame({"month": local.index.month, "hour": local.index.hour, "negative": local.to_numpy() < 0})
    counts = frame.groupby(["month", "hour"])["negative"].agg(["sum", "size"]).reset_index()
    counts.columns = ["month", "hour", "negative_hours", "hours_in_cell"]
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prices", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--out", type=Path, default=ROOT / "seeds" / "negative_price_hours.csv")
    args = ap.parse_args()
    p = read_day_ahead_prices(args.prices).price_eur_per_kwh
    local = p.index.tz_convert("Europe/Berlin")
    years = sorted(set(local.year))
    full = [y for y in years if ((local.year == y).sum() >= 8759)]  # 8,760 h (8,784 in a leap year) less DST
    year = max(full)
    table = negative_hours_table(p, year)
    table["share"] = (table["negative_hours"] / table["hours_in_cell"]).round(4)
    table["year"] = year
    table["source"] = SOURCE.format(year=year)
    table["date"] = f"{year + 1}-01"
    header = (
        f"# Hours with negative day-ahead prices (DE-LU) in {year}, by month and local hour (Europe/Berlin, hour start).\n"
        "# share = negative_hours / hours_in_cell. Used when no price file is given: in each (month, hour) cell the\n"
        "# feed-in of each hour is weighted with its cell share as unpaid (Solarspitzengesetz).\n"
        f"# Total {int(table['negative_hours'].sum())} h in {year}. Built by benchmarks/build_negative_price_seed.py.\n"
    )
    args.out.write_text(header + table.to_csv(index=False), encoding="utf-8")
    by_month = table.groupby("month")["negative_hours"].sum()
    print(f"year {year}: {int(table['negative_hours'].sum())} negative hours; by month {by_month.to_dict()}")
    peak = table.sort_values("negative_hours", ascending=False).head(5)
    print("top cells (month, hour, h):", list(zip(peak.month, peak.hour, peak.negative_hours, strict=True)))


if __name__ == "__main__":
    main()
