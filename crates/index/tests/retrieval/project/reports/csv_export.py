"""Reports as CSV files."""
import csv
import datetime


def export_rows_to_csv(path, header, rows):
    """Writes a header line and then one line per row, quoting where needed."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)


def parse_date_range(text):
    """Reads '2024-01-01..2024-03-31' into a (start, end) pair of dates."""
    start, _, end = text.partition("..")
    return (datetime.date.fromisoformat(start.strip()), datetime.date.fromisoformat(end.strip()))


def group_by_month(records):
    """Buckets (date, amount) records per calendar month and sums them."""
    totals = {}
    for day, amount in records:
        key = (day.year, day.month)
        totals[key] = totals.get(key, 0) + amount
    return dict(sorted(totals.items()))
