"""One-off: turns the seed report text into the built-in template.
Kept so the conversion can be reviewed and redone; the template is the source of truth."""
import re, sys
seed = open(sys.argv[1], encoding='utf-8').read().split('\n')
SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹'
start = next(i for i, l in enumerate(seed) if l.startswith('Thực hiện Chương trình'))
end = next(i for i, l in enumerate(seed) if l.startswith('Trên đây là báo cáo'))
paras, notes = [], {}
for line in seed[start:end + 1]:
    line = line.strip()
    if not line:
        continue
    if line[0] in SUP:
        m = re.match('([' + SUP + ']+) (.*)', line)
        notes[int(''.join(str(SUP.index(c)) for c in m.group(1)))] = m.group(2)
        continue
    paras.append(line)
# Re-join paragraphs that a page break split.
joined = []
head = re.compile(r'^([IVX]+\.|\d+\.(\d+\.)?) ')
for p in paras:
    if joined and not head.match(joined[-1]) and not joined[-1].startswith('- ') \
            and not re.search(r'[.:;!?…]$', joined[-1]) and not head.match(p):
        joined[-1] += ' ' + p
    else:
        joined.append(p)
def sup_to_ref(t):
    return re.sub('[' + SUP + ']+', lambda m: '[^' + ''.join(str(SUP.index(c)) for c in m.group(0)) + ']', t)
out = []
for p in joined:
    p = sup_to_ref(p)
    if re.match(r'^[IVX]+\. ', p): out.append('# ' + p)
    elif re.match(r'^\d+\.\d+\. ', p): out.append('### ' + p)
    elif re.match(r'^\d+\. ', p): out.append('## ' + p)
    else: out.append(p)
body = '\n\n'.join(out) + '\n\n' + '\n'.join(f'[^{n}]: {t}' for n, t in sorted(notes.items())) + '\n'

R = [
 ('xác định 04 mục tiêu và 44 nhiệm vụ', 'xác định {{ so0("KH240_MUC_TIEU", 2016) }} mục tiêu và {{ so("KH240_NHIEM_VU", 2016) }} nhiệm vụ'),
 ('(PAR INDEX) năm 2016, 2017 xếp thứ 13/63, năm 2018 xếp thứ 25/63 tỉnh', '(PAR INDEX) {{ chuoi_hang("PAR_INDEX_HANG", "SO_TINH_XEP_HANG") }} tỉnh'),
 ('(PCI) năm 2016 xếp thứ 33/63, năm 2017 xếp thứ 30/63, năm 2018 xếp thứ 36/63 tỉnh', '(PCI) {{ chuoi_hang("PCI_HANG", "SO_TINH_XEP_HANG") }} tỉnh'),
 ('(PAPI) năm 2016 đạt 37,77 điểm, nằm trong nhóm 16 tỉnh, thành phố đứng đầu, năm 2017 đạt 37,17 điểm, nằm trong nhóm trung bình cao, năm 2018 đạt 46,83 điểm, thuộc nhóm đạt điểm cao nhất',
  '(PAPI) {% for p in ky("PAPI_DIEM") %}năm {{ p }} đạt {{ so("PAPI_DIEM", p) }} điểm, {{ chu("PAPI_NHOM", p) }}{% if not loop.last %}, {% endif %}{% endfor %}'),
 ('thực hiện 78 cuộc kiểm tra đối với 252 lượt', 'thực hiện {{ so("KT_CCHC_CUOC", "2016-2020") }} cuộc kiểm tra đối với {{ so("KT_CCHC_LUOT", "2016-2020") }} lượt'),
 ('tại 225 lượt', 'tại {{ so("KT_DOT_XUAT_LUOT", "2016-2020") }} lượt'),
 ('toàn tỉnh có 1.957 cán bộ', 'toàn tỉnh có {{ so("CBCC_HUYEN", 2020) }} cán bộ'),
 ('là 1.907 người (97,4%)', 'là {{ so("CBCC_HUYEN_DAI_HOC", 2020) }} người ({{ so("CBCC_HUYEN_DAI_HOC_TY_LE", 2020) }}%)'),
 ('là 33.928 người', 'là {{ so("VIEN_CHUC", 2020) }} người'),
 ('gồm 4.864 người', 'gồm {{ so("CBCC_XA", 2020) }} người'),
 ('bộ chuyên trách: 2.259 người', 'bộ chuyên trách: {{ so("CB_CHUYEN_TRACH_XA", 2020) }} người'),
 ('công chức cấp xã: 2.605 người', 'công chức cấp xã: {{ so("CONG_CHUC_XA", 2020) }} người'),
 ('là 4.864/4.864 (đạt 100%), tăng 3,18%', 'là {{ so("CBCC_XA_DAT_CHUAN", 2020) }}/{{ so("CBCC_XA", 2020) }} (đạt {{ so("CBCC_XA_DAT_CHUAN_TY_LE", 2020) }}%), tăng {{ so("CBCC_XA_DAT_CHUAN_TANG", "2016-2020") }}%'),
 ('của 22 Sở, cơ quan thuộc UBND tỉnh, 10 huyện, thành phố (tổng số 1.085 danh mục', 'của {{ so("VTVL_CC_SO_PHE_DUYET", "2016-2020") }} Sở, cơ quan thuộc UBND tỉnh, {{ so("VTVL_CC_HUYEN_PHE_DUYET", "2016-2020") }} huyện, thành phố (tổng số {{ so("VTVL_CC_DANH_MUC", "2016-2020") }} danh mục'),
 ('thuộc 17 Sở, cơ quan thuộc UBND tỉnh, 10/10 huyện', 'thuộc {{ so("VTVL_VC_SO_PHE_DUYET", "2016-2020") }} Sở, cơ quan thuộc UBND tỉnh, {{ so("VTVL_VC_HUYEN_PHE_DUYET", "2016-2020") }}/{{ so("SO_HUYEN", 2020) }} huyện'),
 ('(tổng số gồm 817 danh mục, trong đó vị trí lãnh đạo quản lý: 235 danh mục; vị trí gắn chuyên môn, nghiệp vụ: 403 danh mục, vị trí việc làm gắn với công việc hỗ trợ phục vụ: 179 danh mục)',
  '(tổng số gồm {{ so("VTVL_VC_DANH_MUC", "2016-2020") }} danh mục, trong đó vị trí lãnh đạo quản lý: {{ so("VTVL_VC_LANH_DAO", "2016-2020") }} danh mục; vị trí gắn chuyên môn, nghiệp vụ: {{ so("VTVL_VC_CHUYEN_MON", "2016-2020") }} danh mục, vị trí việc làm gắn với công việc hỗ trợ phục vụ: {{ so("VTVL_VC_HO_TRO", "2016-2020") }} danh mục)'),
 ('sáp nhập 40 đơn vị hành chính cấp xã thành 19 đơn vị hành chính cấp xã mới, giảm 21 đơn vị', 'sáp nhập {{ so("DVHC_XA_TRUOC_SAP_XEP", 2019) }} đơn vị hành chính cấp xã thành {{ so("DVHC_XA_SAU_SAP_XEP", 2019) }} đơn vị hành chính cấp xã mới, giảm {{ so("DVHC_XA_GIAM", 2019) }} đơn vị'),
 ('còn 209 xã', 'còn {{ so("DVHC_XA", 2020) }} xã'),
 ('ước giảm 460 biên chế', 'ước giảm {{ so("BIEN_CHE_XA_GIAM_UOC", 2019) }} biên chế'),
 ('giảm 420 người', 'giảm {{ so("KCT_XA_GIAM_UOC", 2019) }} người'),
 ('giảm ngân sách 120 tỷ/năm', 'giảm ngân sách {{ so("NGAN_SACH_XA_GIAM", 2019) }} tỷ/năm'),
 ('cấp xã từ 21 xuống còn 16 chức danh', 'cấp xã từ {{ so("CHUC_DANH_KCT_XA", 2019) }} xuống còn {{ so("CHUC_DANH_KCT_XA", 2020) }} chức danh'),
 ('giảm từ 22 xuống còn 13 người với xã loại I, 12 người với xã loại II, giảm xuống 10 đối với', 'giảm từ {{ so("KCT_XA_LOAI_1", 2019) }} xuống còn {{ so("KCT_XA_LOAI_1", 2020) }} người với xã loại I, {{ so("KCT_XA_LOAI_2", 2020) }} người với xã loại II, giảm xuống {{ so("KCT_XA_LOAI_3", 2020) }} đối với'),
 ('số chức danh giảm từ 6 xuống còn 3 chức danh, số người giảm từ 6 xuống còn 3 người', 'số chức danh giảm từ {{ so("CHUC_DANH_KCT_THON", 2019) }} xuống còn {{ so("CHUC_DANH_KCT_THON", 2020) }} chức danh, số người giảm từ {{ so("NGUOI_KCT_THON", 2019) }} xuống còn {{ so("NGUOI_KCT_THON", 2020) }} người'),
 ('còn 10 người/10 chức danh', 'còn {{ so("NGUOI_THAM_GIA_THON", 2020) }} người/{{ so("NGUOI_THAM_GIA_THON", 2020) }} chức danh'),
 ('sáp nhập 639 thôn, tổ dân phố (trong đó 475 thôn', 'sáp nhập {{ so("THON_SAP_NHAP", 2019) }} thôn, tổ dân phố (trong đó {{ so("THON_CHUA_DAT_50", 2019) }} thôn'),
 ('thành 347 thôn, TDP, giảm 292 thôn, TDP, hiện toàn tỉnh còn 2.132 thôn', 'thành {{ so("THON_SAU_SAP_NHAP", 2019) }} thôn, TDP, giảm {{ so("THON_GIAM", 2019) }} thôn, TDP, hiện toàn tỉnh còn {{ so("THON", 2020) }} thôn'),
 ('giảm 5.200 người (2.400 người hoạt động không chuyên trách, 2.800 người', 'giảm {{ so("NGUOI_THON_GIAM", 2019) }} người ({{ so("NGUOI_KCT_THON_GIAM", 2019) }} người hoạt động không chuyên trách, {{ so("NGUOI_DOAN_THE_THON_GIAM", 2019) }} người'),
 ('khoảng 30 tỷ', 'khoảng {{ so("NGAN_SACH_THON_GIAM", 2019) }} tỷ'),
 ('(06 huyện, thành phố có 12 phòng, ban; 04 huyện', '({{ so0("HUYEN_12_PHONG", 2020) }} huyện, thành phố có 12 phòng, ban; {{ so0("HUYEN_13_PHONG", 2020) }} huyện'),
 ('giảm được 142 đơn vị', 'giảm được {{ so("DVSN_GIAM", "2016-2020") }} đơn vị'),
 ('Chuyển 01 đơn vị', 'Chuyển {{ so0("DVSN_CO_PHAN", "2016-2020") }} đơn vị'),
 ('. 07 đơn vị thực hiện', '. {{ so0("DVSN_TU_CHU_CO_PHAN", "2018-2020") }} đơn vị thực hiện'),
 ('tỷ lệ giảm đạt 7,8%', 'tỷ lệ giảm đạt {{ so("BIEN_CHE_GIAM_TY_LE", "2016-2020") }}%'),
 ('tinh giản được 1.258 cán bộ', 'tinh giản được {{ so("TINH_GIAN_BIEN_CHE", "2016-2020") }} cán bộ'),
 ('giảm tối thiểu là 10% biên chế', 'giảm tối thiểu là {{ so("MUC_TIEU_GIAM_BIEN_CHE_TY_LE", 2021) }}% biên chế'),
 ('xã, phường, thị trấn giảm từ 21 xuống 16 (giảm 05 chức danh)', 'xã, phường, thị trấn giảm từ {{ so("CHUC_DANH_KCT_XA", 2019) }} xuống {{ so("CHUC_DANH_KCT_XA", 2020) }} (giảm {{ hieu0("CHUC_DANH_KCT_XA", 2019, 2020) }} chức danh)'),
 ('tổ dân phố giảm từ 06 xuống 03 (giảm 03 chức danh)', 'tổ dân phố giảm từ {{ so0("CHUC_DANH_KCT_THON", 2019) }} xuống {{ so0("CHUC_DANH_KCT_THON", 2020) }} (giảm {{ hieu0("CHUC_DANH_KCT_THON", 2019, 2020) }} chức danh)'),
 ('Giảm: 62 đơn vị sự nghiệp thuộc Sở, cơ quan chuyên môn thuộc UBND tỉnh; 80 đơn vị', 'Giảm: {{ so("DVSN_GIAM_TINH", "2016-2020") }} đơn vị sự nghiệp thuộc Sở, cơ quan chuyên môn thuộc UBND tỉnh; {{ so("DVSN_GIAM_HUYEN", "2016-2020") }} đơn vị'),
 ('tổng số biên chế là 41.051 (giảm 3.479 biên chế so với đầu nhiệm kỳ, đạt tỷ lệ 7,8%', 'tổng số biên chế là {{ so("BIEN_CHE", 2020) }} (giảm {{ hieu("BIEN_CHE", 2015, 2020) }} biên chế so với đầu nhiệm kỳ, đạt tỷ lệ {{ so("BIEN_CHE_GIAM_TY_LE", "2016-2020") }}%'),
 ('biên chế hành chính là 2.001 (giảm 316 biên chế), biên chế công chức cấp xã 4.938 (giảm 348 biên chế); biên chế sự nghiệp 34.112 (giảm 2.815 biên chế',
  'biên chế hành chính là {{ so("BIEN_CHE_HANH_CHINH", 2020) }} (giảm {{ hieu("BIEN_CHE_HANH_CHINH", 2015, 2020) }} biên chế), biên chế công chức cấp xã {{ so("BIEN_CHE_CC_XA", 2020) }} (giảm {{ hieu("BIEN_CHE_CC_XA", 2015, 2020) }} biên chế); biên chế sự nghiệp {{ so("BIEN_CHE_SU_NGHIEP", 2020) }} (giảm {{ hieu("BIEN_CHE_SU_NGHIEP", 2015, 2020) }} biên chế'),
]
for old, new in R:
    n = body.count(old)
    assert n == 1, (n, old)
    body = body.replace(old, new)
front = '''+++
# Header and closing blocks (Nghị định 30/2020, Phụ lục I). Edited in the page's form.
parent_agency = "UBND TỈNH BẮC GIANG"
agency = "SỞ NỘI VỤ"
number = "     /BC-SNV"
place = "Bắc Giang"
# day is left blank in the draft, as in the seed
month = 7
year = 2021
title = "BÁO CÁO"
subtitle = "Sơ kết 05 năm thực hiện Nghị quyết số 05-NQ/TW Hội nghị lần thứ tư BCH TW Đảng khoá XII"
signer_authority = "KT. GIÁM ĐỐC"
signer_title = "PHÓ GIÁM ĐỐC"
signer_name = "Nguyễn Quang Đông"
recipients = [
  "Sở Kế hoạch và đầu tư;",
  "Lãnh đạo Sở;",
  "Các Phòng, đơn vị thuộc Sở;",
  "Lưu: VT, VP.",
]
+++
'''
open(sys.argv[2], 'w', encoding='utf-8').write(front + body)
