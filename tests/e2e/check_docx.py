"""Reads a DOCX the page produced and prints what the end-to-end tests check,
as JSON: all text (body and footnotes), footnote count, page size and margins."""
import json
import re
import sys
import zipfile

import docx  # python-docx

path = sys.argv[1]
d = docx.Document(path)
section = d.sections[0]
mm = lambda length: round(length.mm)
with zipfile.ZipFile(path) as z:
    parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}
text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", parts.get("word/document.xml", "") + parts.get("word/footnotes.xml", "")))
footnotes = len(re.findall(r'<w:footnote (?![^>]*w:type="(?:separator|continuationSeparator)")', parts.get("word/footnotes.xml", "")))
print(json.dumps({
    "text": text,
    "footnotes": footnotes,
    "page_mm": [mm(section.page_width), mm(section.page_height)],
    "margins_mm": {"top": mm(section.top_margin), "bottom": mm(section.bottom_margin),
                   "left": mm(section.left_margin), "right": mm(section.right_margin)},
    "different_first_page": bool(section.different_first_page_header_footer),
}, ensure_ascii=False))
