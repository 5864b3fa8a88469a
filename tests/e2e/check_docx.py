"""Reads a DOCX the page produced and prints, as JSON, what the end-to-end
tests check: text (body and footnotes), footnotes, page setup, fonts, sizes,
the page-number field, the different first page, the header table, and the
Word comments with the text each is anchored to."""
import collections
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
body_xml = parts.get("word/document.xml", "")
notes_xml = parts.get("word/footnotes.xml", "")
text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body_xml + notes_xml))
footnotes = len(re.findall(r'<w:footnote (?![^>]*w:type="(?:separator|continuationSeparator)")', notes_xml))
headers = [v for k, v in parts.items() if re.match(r"word/header\d*\.xml", k)]


def size_of(needle):
    """The font size (pt) of the first run whose text contains `needle`."""
    for p in d.paragraphs + [p for t in d.tables for r in t.rows for c in r.cells for p in c.paragraphs]:
        for r in p.runs:
            if needle in r.text and r.font.size is not None:
                return r.font.size.pt
    return None


def bold_of(needle):
    for t in d.tables:
        for r in t.rows:
            for c in r.cells:
                for p in c.paragraphs:
                    for run in p.runs:
                        if needle in run.text:
                            return bool(run.bold)
    for p in d.paragraphs:
        for run in p.runs:
            if needle in run.text:
                return bool(run.bold)
    return None


body_sizes = collections.Counter(
    r.font.size.pt for p in d.paragraphs for r in p.runs if r.font.size is not None and len(r.text) > 20
)
fonts = sorted(set(re.findall(r'w:ascii="([^"]+)"', body_xml + parts.get("word/styles.xml", ""))))
first = d.tables[0] if d.tables else None
header_table = None
if first is not None:
    header_table = {
        "rows": len(first.rows),
        "cols": len(first.columns),
        "cells": [[c.text for c in r.cells] for r in first.rows],
        "borders": re.search(r"<w:tblBorders>(.*?)</w:tblBorders>", body_xml, re.S).group(1)
        if "<w:tblBorders>" in body_xml else "",
    }
# Chart images: pixel width from each PNG's IHDR, printed width from <wp:extent>.
with zipfile.ZipFile(path) as z:
    pngs = {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}
widths_px = sorted(int.from_bytes(b[16:20], "big") for b in pngs.values())
extents_emu = [int(cx) for cx in re.findall(r'<wp:extent cx="(\d+)"', body_xml)]
dpi = [round(px / (emu / 914400)) for px, emu in zip(widths_px, sorted(extents_emu))] if extents_emu else []
# Each comment's text, and the text of the range it is anchored to.
wt = lambda xml: "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
comment_texts = {cid: wt(xml) for cid, xml in re.findall(r'<w:comment w:id="(\d+)"[^>]*>(.*?)</w:comment>', parts.get("word/comments.xml", ""), re.S)}
comments = [{"on": wt(xml), "says": comment_texts.get(cid)}
            for cid, xml in re.findall(r'<w:commentRangeStart w:id="(\d+)"/>(.*?)<w:commentRangeEnd', body_xml, re.S)]
print(json.dumps({
    "comments": comments,
    "images": len(pngs),
    "image_dpi_min": min(dpi) if dpi else None,
    "text": text,
    "footnotes": footnotes,
    "page_mm": [mm(section.page_width), mm(section.page_height)],
    "margins_mm": {"top": mm(section.top_margin), "bottom": mm(section.bottom_margin),
                   "left": mm(section.left_margin), "right": mm(section.right_margin)},
    "different_first_page": bool(section.different_first_page_header_footer),
    "page_field": any(re.search(r"PAGE", h) and "fldChar" in h or "<w:fldSimple" in h for h in headers),
    "first_page_header_empty": not re.sub(r"<[^>]+>", "", section.first_page_header._element.xml if section.different_first_page_header_footer else "x").strip(),
    "fonts": fonts,
    "body_pt": body_sizes.most_common(1)[0][0] if body_sizes else None,
    "sizes_pt": {
        "agency": size_of("SỞ NỘI VỤ"), "nation": size_of("CỘNG HÒA XÃ HỘI"), "motto": size_of("Độc lập"),
        "title": size_of("BÁO CÁO"), "recipients_title": size_of("Nơi nhận"),
    },
    "bold": {"agency": bold_of("SỞ NỘI VỤ"), "motto": bold_of("Độc lập"), "parent": bold_of("UBND TỈNH")},
    "header_table": header_table,
}, ensure_ascii=False))
