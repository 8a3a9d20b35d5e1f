"""Printing benchmark tables, shared by run.py and threads.py."""


def print_plain(header, rows):
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def print_markdown(header, rows, alignment):
    """alignment: one markdown alignment cell per column, e.g. ["---", "---:"]."""
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(alignment) + "|")
    for row in rows:
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
