"""Reads a DOCX the page produced, with its tables, and prints as JSON what
the end-to-end tests check: each table's cells as python-docx reads them,
and, from LibreOffice's PDF of it, each page's orientation, the page number
printed at its top and whether a table header ("STT") is on it.
Usage: check_tables.py DOCX OUTDIR"""
import json
import os
import subprocess
import sys

import docx  # python-docx

path, out = sys.argv[1], sys.argv[2]
d = docx.Document(path)
tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
subprocess.run(
    ["soffice", "--headless", "--convert-to", "pdf", "--outdir", out, path],
    check=True, capture_output=True, timeout=300,
)
pdf = os.path.join(out, os.path.splitext(os.path.basename(path))[0] + ".pdf")
info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
count = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
pages = []
for p in range(1, count + 1):
    size = subprocess.run(["pdfinfo", "-f", str(p), "-l", str(p), pdf], capture_output=True, text=True).stdout
    line = next(l for l in size.splitlines() if l.startswith(f"Page") and "size" in l)
    w, h = (float(x) for x in line.split("size:")[1].split("pts")[0].split("x"))
    text = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-layout", pdf, "-"], capture_output=True, text=True).stdout
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    pages.append({
        "landscape": w > h,
        "first_line": lines[0] if lines else "",
        "has_table_header": any(l.startswith("STT") for l in lines),
    })
print(json.dumps({"tables": tables, "pages": pages}, ensure_ascii=False))
