"""Writes tests/fixtures/read/: the reference figures in every container,
encoding and shape the readers accept. Run once; the files are committed.
Needs openpyxl, and LibreOffice Calc (libreoffice-calc-nogui) for the ODS copy."""
import csv, io, json, os, subprocess, sys, unicodedata
import openpyxl

REF = 'assets/sample-nq05-bac-giang.csv'
OUT = 'tests/fixtures/read'
rows = list(csv.DictReader(open(REF, encoding='utf-8')))

def vn_number(text, kind):
    """The reference value as a Vietnamese office writes it."""
    if kind == 'text':
        return text
    v = float(text)
    if v.is_integer():
        return f'{int(v):,}'.replace(',', '.')
    return str(v).replace('.', ',')

def number(text, kind):
    if kind == 'text':
        return text
    v = float(text)
    return int(v) if v.is_integer() else v

# ---- legacy encoders (Unicode → bytes), written from the encodings' rules ----
TONE = {'\u0300': 0, '\u0301': 1, '\u0309': 2, '\u0303': 3, '\u0323': 4}  # grave acute hook tilde dot
# TCVN3: one byte per small letter (capitals with tones are written small, as .VnTimeH fonts do)
TCVN3_BASE = {'ă': 0xA8, 'â': 0xA9, 'ê': 0xAA, 'ô': 0xAB, 'ơ': 0xAC, 'ư': 0xAD, 'đ': 0xAE,
              'Ă': 0xA1, 'Â': 0xA2, 'Ê': 0xA3, 'Ô': 0xA4, 'Ơ': 0xA5, 'Ư': 0xA6, 'Đ': 0xA7}
# toned small vowels: grave, acute, hook, tilde, dot
TCVN3_TONED = {
    'a': [0xB5, 0xB8, 0xB6, 0xB7, 0xB9], 'ă': [0xBB, 0xBE, 0xBC, 0xBD, 0xC6], 'â': [0xC7, 0xCA, 0xC8, 0xC9, 0xCB],
    'e': [0xCC, 0xD0, 0xCE, 0xCF, 0xD1], 'ê': [0xD2, 0xD5, 0xD3, 0xD4, 0xD6], 'i': [0xD7, 0xDD, 0xD8, 0xDC, 0xDE],
    'o': [0xDF, 0xE3, 0xE1, 0xE2, 0xE4], 'ô': [0xE5, 0xE8, 0xE6, 0xE7, 0xE9], 'ơ': [0xEA, 0xED, 0xEB, 0xEC, 0xEE],
    'u': [0xEF, 0xF3, 0xF1, 0xF2, 0xF4], 'ư': [0xF5, 0xF8, 0xF6, 0xF7, 0xF9], 'y': [0xFA, 0xFD, 0xFB, 0xFC, 0xFE],
}

def split_letter(ch):
    """'ế' → ('ê', tone index 1); 'ư' → ('ư', None)."""
    d = unicodedata.normalize('NFD', ch)
    tone = next((TONE[m] for m in d if m in TONE), None)
    base = unicodedata.normalize('NFC', ''.join(m for m in d if m not in TONE))
    return base, tone

def tcvn3(text):
    out = bytearray()
    for ch in unicodedata.normalize('NFC', text):
        if ord(ch) < 0x80:
            out.append(ord(ch)); continue
        base, tone = split_letter(ch)
        if tone is None:
            out.append(TCVN3_BASE[base]); continue
        out.append(TCVN3_TONED[base.lower()][tone])
    return bytes(out)

VNI_TONE_SMALL = [0xF8, 0xF9, 0xFB, 0xF5, 0xEF]
VNI_CIRC_TONE_SMALL = [0xE0, 0xE1, 0xE5, 0xE3, 0xE4]
VNI_BREVE_TONE_SMALL = [0xE8, 0xE9, 0xFA, 0xFC, 0xEB]
VNI_SINGLE = {'đ': 0xF1, 'ơ': 0xF4, 'ư': 0xF6, 'ĩ': 0xF3, 'ỉ': 0xE6, 'ị': 0xF2, 'ỵ': 0xEE, 'ì': 0xEC, 'í': 0xED}

def vni(text):
    out = bytearray()
    for ch in unicodedata.normalize('NFC', text):
        if ord(ch) < 0x80:
            out.append(ord(ch)); continue
        upper = ch.isupper()
        up = (lambda b: b - 0x20) if upper else (lambda b: b)
        low = ch.lower()
        if low in VNI_SINGLE:
            out.append(up(VNI_SINGLE[low])); continue
        base, tone = split_letter(low)
        if base in VNI_SINGLE:  # ơ, ư with a tone
            out.append(up(VNI_SINGLE[base])); out.append(up(VNI_TONE_SMALL[tone])); continue
        plain = unicodedata.normalize('NFD', base)[0]
        out.append(ord(plain.upper() if upper else plain))
        if base in 'âêô':
            out.append(up(0xE2 if tone is None else VNI_CIRC_TONE_SMALL[tone]))
        elif base == 'ă':
            out.append(up(0xEA if tone is None else VNI_BREVE_TONE_SMALL[tone]))
        elif tone is not None:
            out.append(up(VNI_TONE_SMALL[tone]))
    return bytes(out)

def long_csv(delim=',', vn_numbers=True, headers=None):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator='\r\n')
    w.writerow(headers or ['Mã chỉ tiêu', 'Tên chỉ tiêu', 'Đơn vị tính', 'Kỳ', 'Giá trị'])
    for r in rows:
        w.writerow([r['code'], r['name'], r['unit'], r['period'], vn_number(r['value'], r['kind']) if vn_numbers else r['value']])
    return buf.getvalue()

periods = []
for r in rows:
    if r['period'] not in periods:
        periods.append(r['period'])
periods.sort(key=lambda p: (int(p[-4:]), len(p)))
period_header = {p: (f'Năm {p}' if len(p) == 4 else f'Giai đoạn {p}') for p in periods}
period_header['2018-2020'] = '2018–2020'  # an en dash, as Word writes it
by_code = {}
for r in rows:
    by_code.setdefault(r['code'], {'name': r['name'], 'unit': r['unit'], 'kind': r['kind'], 'values': {}})['values'][r['period']] = r['value']

def wide_rows(vn=True, name_only_every=5):
    out = []
    for i, (code, ind) in enumerate(by_code.items()):
        # Some rows name the indicator only by its catalogue name, as offices do.
        code_cell = '' if i % name_only_every == 3 else code
        cells = [code_cell, ind['name'], ind['unit']]
        for p in periods:
            v = ind['values'].get(p)
            cells.append('' if v is None else (vn_number(v, ind['kind']) if vn else number(v, ind['kind'])))
        out.append(cells)
    return out

os.makedirs(OUT, exist_ok=True)
def write(name, data):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode('utf-8'))

write('long-utf8.csv', long_csv())
write('long-utf8-bom-semicolon.csv', b'\xef\xbb\xbf' + long_csv(';').encode('utf-8'))
write('long-utf16le-tab.txt', b'\xff\xfe' + long_csv('\t').encode('utf-16-le'))
write('long-utf16be.csv', b'\xfe\xff' + long_csv().encode('utf-16-be'))
def cp1258(text):
    """Windows-1258 keeps â ê ô ă ơ ư đ whole and writes tones as combining marks."""
    out = []
    for ch in unicodedata.normalize('NFC', text):
        base, tone = split_letter(ch) if ord(ch) >= 0x80 else (ch, None)
        out.append(base + ('' if tone is None else '\u0300\u0301\u0309\u0303\u0323'[tone]))
    return ''.join(out).encode('cp1258')

write('long-windows1258.csv', cp1258(long_csv()))
write('long-tcvn3.csv', tcvn3(long_csv()))
write('long-vni.csv', vni(long_csv()))
write('long-plain-english.csv', long_csv(vn_numbers=False, headers=['code', 'name', 'unit', 'period', 'value']))
buf = io.StringIO(); w = csv.writer(buf, lineterminator='\n')
w.writerow(['Mã số', 'Chỉ tiêu', 'ĐVT'] + [period_header[p] for p in periods]); w.writerows(wide_rows())
write('wide-utf8.csv', buf.getvalue())
write('long.json', json.dumps([{'Mã chỉ tiêu': r['code'], 'Kỳ': r['period'], 'Giá trị': number(r['value'], r['kind'])} for r in rows], ensure_ascii=False, indent=1))
write('wide.json', json.dumps({code: {p: number(v, ind['kind']) for p, v in ind['values'].items()} for code, ind in by_code.items()}, ensure_ascii=False, indent=1))

# XLSX: a title row above the header, numbers stored as numbers, a merged title.
wb = openpyxl.Workbook()
ws = wb.active; ws.title = 'Số liệu'
ws.append(['BIỂU SỐ LIỆU SƠ KẾT NGHỊ QUYẾT 05-NQ/TW']); ws.merge_cells('A1:E1')
ws.append([])
ws.append(['Mã chỉ tiêu', 'Tên chỉ tiêu', 'Đơn vị tính', 'Kỳ', 'Giá trị'])
for r in rows:
    ws.append([r['code'], r['name'], r['unit'], int(r['period']) if len(r['period']) == 4 else r['period'], number(r['value'], r['kind'])])
# A formula whose cached value must be read: the sum of the two parts of CBCC_XA is in a side cell.
wb.save(os.path.join(OUT, 'long.xlsx'))
# Wide XLSX over two sheets, with the indicator name merged down two rows in a note column.
wb = openpyxl.Workbook()
codes = list(by_code)
for sheet, part in (('Chỉ số', codes[:20]), ('Tổ chức, biên chế', codes[20:])):
    ws = wb.active if sheet == 'Chỉ số' else wb.create_sheet(sheet)
    ws.title = sheet
    ws.append(['Mã số', 'Chỉ tiêu', 'ĐVT'] + [period_header[p] for p in periods])
    for code in part:
        ind = by_code[code]
        ws.append([code, ind['name'], ind['unit']] + [None if ind['values'].get(p) is None else number(ind['values'][p], ind['kind']) for p in periods])
wb.save(os.path.join(OUT, 'wide-two-sheets.xlsx'))
subprocess.run(['soffice', '--headless', '--convert-to', 'ods', '--outdir', OUT, os.path.join(OUT, 'long.xlsx')], check=True, capture_output=True)
print('\n'.join(sorted(os.listdir(OUT))))
