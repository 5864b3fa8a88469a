"""Workbooks the page produced, as the end-to-end tests need them (openpyxl):
  xlsx.py rows FILE SHEET              the sheet's rows, as JSON
  xlsx.py fill TEMPLATE REFERENCE OUT  fills the template's value column with
                                       the reference CSV's own-agency figures
                                       and prints how many it filled
"""
import csv
import json
import sys

import openpyxl


def rows(path, sheet):
    book = openpyxl.load_workbook(path)
    return [[c.value for c in r] for r in book[sheet].iter_rows()]


def fill(template, reference, out):
    figures = {}
    with open(reference, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if not r.get("entity"):
                figures[(r["code"], r["period"])] = r["value"]
    book = openpyxl.load_workbook(template)
    sheet = book["Số liệu"]
    filled = 0
    for row in sheet.iter_rows(min_row=2):
        value = figures.get((row[0].value, row[3].value))
        if value is not None:
            # As Excel stores what an official types: a number when it is one.
            try:
                row[4].value = float(value)
            except ValueError:
                row[4].value = value
            filled += 1
    book.save(out)
    return filled


if __name__ == "__main__":
    if sys.argv[1] == "rows":
        print(json.dumps(rows(sys.argv[2], sys.argv[3]), ensure_ascii=False, default=str))
    else:
        print(fill(sys.argv[2], sys.argv[3], sys.argv[4]))
