"""Writes the biểu fixtures of tests/fixtures/bieu/ as a district office lays
them out: the agency block and the national motto, "Biểu số …", a title with
the period, a merged header of one to three rows, a column-number row, units
(sections with subtotals and Roman STT in one variant), a total row at the
bottom or right under the header, then a note and the signatures.

Each variant is written as .xlsx (openpyxl), and some are saved again as
.xls (Excel 97-2003) and .ods by LibreOffice Calc, as an office would, and as
.xlsb by SheetJS (tools/xlsb.mjs; `npm ci` installs it). The
expected figures live in tests/bieu.rs, which reads every file.
    python3 tools/make_bieu_fixtures.py
"""
import os
import subprocess

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "bieu")

DISTRICTS = [
    # name, nam, nữ, sau đại học, đại học, cao đẳng trở xuống
    ("Thành phố Bắc Giang", 120, 95, 30, 170, 15),
    ("Huyện Yên Thế", 80, 52, 9, 110, 13),
    ("Huyện Tân Yên", 90, 60, 12, 125, 13),
    ("Huyện Lạng Giang", 95, 61, 14, 130, 12),
    ("Huyện Lục Nam", 101, 64, 10, 140, 15),
    ("Huyện Lục Ngạn", 110, 70, 11, 150, 19),
    ("Huyện Sơn Động", 70, 41, 5, 95, 11),
    ("Huyện Yên Dũng", 85, 57, 12, 118, 12),
    ("Thị xã Việt Yên", 92, 66, 15, 130, 13),
    ("Huyện Hiệp Hòa", 99, 70, 13, 140, 16),
]


def row_of(d, broken=None):
    name, nam, nu, sdh, dh, cd = d
    return [name, nam + nu, nam, nu, sdh, dh, cd]


def preamble(ws, title, width):
    ws.append(["UBND TỈNH BẮC GIANG", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.append(["SỞ NỘI VỤ", None, None, "Độc lập - Tự do - Hạnh phúc"])
    ws.append([])
    ws.append(["Biểu số 01/BNV-CBCC"])
    ws.append([title])
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=width)
    ws.cell(5, 1).font = Font(bold=True)
    ws.cell(5, 1).alignment = Alignment(horizontal="center")
    ws.append(["(Kèm theo Báo cáo số 123/BC-SNV)"])
    ws.append([])


def header_two_rows(ws, merged=True):
    """STT | Đơn vị | Tổng số (người) | Chia theo giới tính: Nam, Nữ |
    Trình độ chuyên môn: Sau đại học, Đại học, Cao đẳng, trung cấp trở xuống."""
    group_sex = "Chia theo giới tính"
    group_level = "Trình độ chuyên môn"
    if merged:
        ws.append(["STT", "Đơn vị", "Tổng số cán bộ, công chức (người)", group_sex, None, group_level, None, None])
        ws.append([None, None, None, "Nam", "Nữ", "Sau đại học", "Đại học", "Cao đẳng, trung cấp trở xuống"])
        top = ws.max_row - 1
        for col in (1, 2, 3):
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)
        ws.merge_cells(start_row=top, start_column=6, end_row=top, end_column=8)
    else:
        # Unmerged, as a sheet looks after "Unmerge cells": each group's text
        # over its first sub-column only.
        ws.append(["STT", "Đơn vị", "Tổng số cán bộ, công chức (người)", group_sex, None, group_level, None, None])
        ws.append([None, None, None, "Nam", "Nữ", "Sau đại học", "Đại học", "Cao đẳng, trung cấp trở xuống"])
    top = ws.max_row - 1
    for r in (top, top + 1):
        for c in range(1, 9):
            ws.cell(r, c).font = Font(bold=True)
            ws.cell(r, c).alignment = Alignment(horizontal="center", wrap_text=True)


def numbers_row(ws):
    ws.append(["A", "B", "1=2+3=4+5+6", "2", "3", "4", "5", "6"])


def footer(ws):
    ws.append([])
    ws.append(["Ghi chú: Số liệu tính đến ngày 31/12/2020, không kể hợp đồng lao động."])
    ws.append([])
    ws.append([None, "NGƯỜI LẬP BIỂU", None, None, None, "GIÁM ĐỐC"])
    ws.append([])
    ws.append([None, "Nguyễn Văn An", None, None, None, "Nguyễn Quang Đông"])


def totals(rows):
    return [sum(r[i] for r in rows) for i in range(1, 7)]


def units(ws, districts, numbered=True):
    rows = []
    for i, d in enumerate(districts, 1):
        r = row_of(d)
        rows.append(r)
        ws.append([i if numbered else None] + r)
    return rows


def save(wb, name):
    os.makedirs(OUT, exist_ok=True)
    wb.save(os.path.join(OUT, name))


TITLE = "SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC CẤP HUYỆN NĂM 2020"


def standard(name, *, merged=True, with_numbers=True, total_on_top=False, edit=None):
    """The issue's table; `edit(rows, total)` breaks figures in place."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    preamble(ws, TITLE, 8)
    header_two_rows(ws, merged)
    if with_numbers:
        numbers_row(ws)
    rows = [row_of(d) for d in DISTRICTS]
    total = ["Tổng cộng"] + totals(rows)
    if edit:
        edit(rows, total)
    if total_on_top:
        ws.append([None] + total)
    for i, r in enumerate(rows, 1):
        ws.append([i] + r)
    if not total_on_top:
        ws.append([None] + total)
    footer(ws)
    save(wb, name)


def sections(name="bieu-sections.xlsx", broken=False):
    """Units grouped by "I. Khối tỉnh" / "II. Khối huyện", with subtotals;
    `broken`: the first section's "Sau đại học" subtotal is 1 more."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Năm 2020"
    preamble(ws, "SỐ LƯỢNG CÔNG CHỨC CÁC CƠ QUAN, ĐƠN VỊ", 8)
    header_two_rows(ws)
    numbers_row(ws)
    province = [("Văn phòng UBND tỉnh", 40, 30, 10, 58, 2), ("Sở Nội vụ", 35, 28, 12, 50, 1)]
    district = DISTRICTS[:3]
    grand = []
    for roman, title, members in (("I", "Khối tỉnh", province), ("II", "Khối huyện", district)):
        rows = [row_of(d) for d in members]
        grand += rows
        subtotal = totals(rows)
        if broken and roman == "I":
            subtotal[3] += 1
        ws.append([roman, title] + subtotal)
        for i, r in enumerate(rows, 1):
            ws.append([i] + r)
    ws.append([None, "Tổng cộng"] + totals(grand))
    footer(ws)
    save(wb, name)


def three_rows():
    """A three-row header: a group over two groups over their columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    preamble(ws, "BIÊN CHẾ CÔNG CHỨC 6 THÁNG ĐẦU NĂM 2026", 7)
    ws.append(["STT", "Tên đơn vị", "Tổng biên chế được giao (biên chế)", "Trong đó", None, None, None])
    ws.append([None, None, None, "Hành chính", None, "Sự nghiệp", None])
    ws.append([None, None, None, "Đã tuyển", "Chưa tuyển", "Đã tuyển", "Chưa tuyển"])
    top = ws.max_row - 2
    for col in (1, 2, 3):
        ws.merge_cells(start_row=top, start_column=col, end_row=top + 2, end_column=col)
    ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=7)
    ws.merge_cells(start_row=top + 1, start_column=4, end_row=top + 1, end_column=5)
    ws.merge_cells(start_row=top + 1, start_column=6, end_row=top + 1, end_column=7)
    data = [("Sở Tư pháp", 60, 30, 5, 20, 3), ("Sở Y tế", 900, 40, 3, 800, 40), ("Sở Xây dựng", 70, 45, 2, 20, 1)]
    for i, (n, total, a, b, c, d) in enumerate(data, 1):
        ws.append([i, n, total, a, b, c, d])
    ws.append([None, "Cộng", *[sum(r[k] for r in data) for k in range(1, 6)]])
    footer(ws)
    save(wb, "bieu-three-rows.xlsx")


def one_row():
    """One header row, the unit column named "Địa phương", no column numbers;
    a second sheet with another biểu and a notes sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Quý I-2026"
    ws.append(["KẾT QUẢ TIẾP CÔNG DÂN QUÝ I/2026"])
    ws.append(["ĐVT: lượt"])
    ws.append(["TT", "Địa phương", "Thường xuyên", "Định kỳ", "Đột xuất"])
    data = [("Huyện Yên Thế", 12, 3, 1), ("Huyện Tân Yên", 9, 3, 0), ("Huyện Lục Nam", 15, 3, 2)]
    for i, r in enumerate(data, 1):
        ws.append([i, *r])
    ws.append([None, "Toàn tỉnh", 36, 9, 3])
    second = wb.create_sheet("Năm 2025")
    second.append(["KẾT QUẢ TIẾP CÔNG DÂN NĂM 2025"])
    second.append(["TT", "Địa phương", "Thường xuyên", "Định kỳ", "Đột xuất"])
    for i, r in enumerate(data, 1):
        second.append([i, r[0], r[1] * 4, r[2] * 4, r[3] * 4])
    second.append([None, "Toàn tỉnh", 144, 36, 12])
    notes = wb.create_sheet("Hướng dẫn")
    notes.append(["Biểu này tổng hợp từ báo cáo của các huyện."])
    save(wb, "bieu-one-row-sheets.xlsx")


def main():
    standard("bieu-cbcc-huyen.xlsx")
    standard("bieu-unmerged.xlsx", merged=False)
    standard("bieu-no-numbers.xlsx", with_numbers=False)
    standard("bieu-total-on-top.xlsx", total_on_top=True)

    # Broken: the total row's "Sau đại học" is 2 more than its units' sum.
    def broken_total(rows, total):
        total[4] += 2
    standard("bieu-broken-total-no-numbers.xlsx", with_numbers=False, edit=broken_total)

    # Broken: Huyện Lục Nam's Nam + Nữ is not its total (its Nữ is 3 more,
    # and so is the total row's Nữ).
    def broken_split(rows, total):
        rows[4][3] += 3
        total[3] += 3
    standard("bieu-broken-split.xlsx", with_numbers=False, edit=broken_split)

    # Both at once: two findings, each on its own row.
    def broken_both(rows, total):
        broken_total(rows, total)
        broken_split(rows, total)
    standard("bieu-broken-total-and-split.xlsx", with_numbers=False, edit=broken_both)

    # Broken: Huyện Yên Dũng's "Đại học" is 4 more, and so is the total's:
    # only the declared 1 = 4+5+6 fails, on Yên Dũng's row.
    def broken_formula(rows, total):
        rows[7][5] += 4
        total[5] += 4
    standard("bieu-broken-formula.xlsx", edit=broken_formula)
    sections()
    sections("bieu-broken-subtotal.xlsx", broken=True)
    three_rows()
    one_row()


# Saved again by LibreOffice Calc in the older and the open formats, and by
# SheetJS (tools/xlsb.mjs) as .xlsb.
COPIES = {
    "bieu-cbcc-huyen": ["xls", "ods", "xlsb"],
    "bieu-broken-formula": ["xls"],
    "bieu-sections": ["xls", "ods"],
    "bieu-one-row-sheets": ["xls", "ods", "xlsb"],
}


def convert():
    for stem, kinds in COPIES.items():
        for kind in kinds:
            if kind == "xlsb":
                src = os.path.join(OUT, stem + ".xlsx")
                subprocess.run(["node", os.path.join(os.path.dirname(__file__), "xlsb.mjs"), src,
                                os.path.join(OUT, stem + ".xlsb")], check=True, timeout=120)
                continue
            filt = {"xls": "xls:MS Excel 97", "ods": "ods"}[kind]
            subprocess.run(
                ["soffice", "--headless", "--convert-to", filt, "--outdir", OUT, os.path.join(OUT, stem + ".xlsx")],
                check=True, capture_output=True, timeout=300,
            )


if __name__ == "__main__":
    main()
    convert()
