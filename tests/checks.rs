//! Every identity of the seed: one changed figure gives exactly one error for
//! that rule, and the changed cell is among its cells.
#![cfg(not(target_arch = "wasm32"))]
mod common;
use baocao::model::Severity;
use common::*;

fn errors_for(code: &str, period: &str, value: &str) -> Vec<(String, Vec<u32>)> {
    let ws = workspace_with(vec![file(
        "changed.csv",
        reference_with(code, period, value),
    )]);
    ws.findings()
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.rule.clone(), f.cells.iter().map(|c| c.row).collect()))
        .collect()
}

#[test]
fn the_reference_data_has_no_errors_or_warnings() {
    let ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let problems: Vec<_> = ws
        .findings()
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(ws.dataset().len(), 85);
}

#[test]
fn each_identity_catches_one_changed_figure() {
    let cases = [
        ("CONG_CHUC_XA", "2020", "2641", "CBCC_XA_TONG"),
        (
            "CBCC_HUYEN_DAI_HOC_TY_LE",
            "2020",
            "96.4",
            "CBCC_HUYEN_DAI_HOC_TY_LE",
        ),
        (
            "VTVL_VC_HO_TRO",
            "2016-2020",
            "180",
            "VTVL_VC_DANH_MUC_TONG",
        ),
        ("DVHC_XA_GIAM", "2019", "22", "DVHC_XA_GIAM"),
        ("THON_GIAM", "2019", "291", "THON_GIAM"),
        (
            "NGUOI_KCT_THON_GIAM",
            "2019",
            "2500",
            "NGUOI_THON_GIAM_TONG",
        ),
        ("DVSN_GIAM_HUYEN", "2016-2020", "81", "DVSN_GIAM_TONG"),
        ("BIEN_CHE_SU_NGHIEP", "2015", "36928", "BIEN_CHE_TONG"),
        (
            "BIEN_CHE_GIAM_TY_LE",
            "2016-2020",
            "8.8",
            "BIEN_CHE_GIAM_TY_LE",
        ),
        ("HUYEN_13_PHONG", "2020", "5", "HUYEN_PHONG_TONG"),
    ];
    for (code, period, value, rule) in cases {
        let errors = errors_for(code, period, value);
        let changed_row = reference_row(code, period);
        assert_eq!(errors.len(), 1, "{code}={value}: {errors:?}");
        assert_eq!(errors[0].0, rule, "{code}={value}");
        assert!(
            errors[0].1.contains(&changed_row),
            "{code}: row {changed_row} not in {:?}",
            errors[0].1
        );
    }
}

/// The reference with one part of CBCC_XA 2020 wrong: 2.259 + 2.641 ≠ 4.864.
fn with_a_wrong_part() -> baocao::workspace::Workspace {
    workspace_with(vec![file(
        "changed.csv",
        reference_with("CONG_CHUC_XA", "2020", "2641"),
    )])
}

#[test]
fn the_sum_message_shows_the_arithmetic() {
    let ws = with_a_wrong_part();
    let f = ws
        .findings()
        .iter()
        .find(|f| f.rule == "CBCC_XA_TONG")
        .unwrap();
    assert!(
        f.message_vi.contains("4.864 ≠ 2.259 + 2.641 = 4.900"),
        "{}",
        f.message_vi
    );
    assert_eq!(f.cells[0].row, reference_row("CBCC_XA", "2020"));
    assert_eq!(f.cells.len(), 3);
}

#[test]
fn ranks_outside_one_to_n_are_errors() {
    let errors = errors_for("PAR_INDEX_HANG", "2018", "65");
    assert_eq!(
        errors.iter().filter(|(r, _)| r == "value.rank").count(),
        1,
        "{errors:?}"
    );
}

#[test]
fn papi_range_depends_on_the_year() {
    // 61 is too many points in 2017 (max 60) …
    assert!(errors_for("PAPI_DIEM", "2017", "61")
        .iter()
        .any(|(r, _)| r == "value.range"));
    // … but fine in 2018 (max 80).
    assert!(errors_for("PAPI_DIEM", "2018", "61").is_empty());
}

#[test]
fn the_same_figure_twice_with_different_values_is_a_conflict() {
    let other = "Mã chỉ tiêu,Năm,Giá trị\nCBCC_XA,2020,4.865\n";
    let ws = workspace_with(vec![file("a.csv", REFERENCE_CSV), file("b.csv", other)]);
    let f = ws
        .findings()
        .iter()
        .find(|f| f.rule == "conflict")
        .expect("a conflict");
    let files: Vec<u32> = f.cells.iter().map(|c| c.file).collect();
    assert_eq!(files, vec![ws.files[0].id, ws.files[1].id]);
}

#[test]
fn progress_against_the_staffing_target_is_reported() {
    let ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let f = ws
        .findings()
        .iter()
        .find(|f| f.rule == "BIEN_CHE_GIAM_MUC_TIEU")
        .expect("a target finding");
    assert_eq!(f.severity, Severity::Info);
    assert!(
        f.message_vi
            .contains("đạt 7,8 [2016-2020], mục tiêu 10 [2021] (78% mục tiêu)"),
        "{}",
        f.message_vi
    );
}

#[test]
fn a_required_period_that_is_missing_is_a_warning() {
    let csv: String = REFERENCE_CSV
        .lines()
        .filter(|l| !l.starts_with("BIEN_CHE,Tổng số biên chế,biên chế,count,2015"))
        .collect::<Vec<_>>()
        .join("\n");
    let ws = workspace_with(vec![file("thieu.csv", csv)]);
    let f: Vec<_> = ws
        .findings()
        .iter()
        .filter(|f| f.rule == "check.missing-period")
        .collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].message_vi.contains("BIEN_CHE thiếu số liệu kỳ 2015"));
}

const USER_CATALOG: &str = r#"
format = "baocao-catalog/1"
name = "Danh mục của huyện"

[[indicator]]
code = "DAN_SO"
name = "Dân số"
kind = "count"
max_change_percent = 20

[[indicator]]
code = "HO"
name = "Số hộ"
kind = "count"

[[rule]]
id = "HO_LE_DAN_SO"
kind = "at_most"
part = "HO"
whole = "DAN_SO"
message = "Số hộ không thể lớn hơn dân số"

[[rule]]
id = "TINH_BANG_TONG_XA"
kind = "entity_sum"
indicator = "DAN_SO"
total_entity = "Toàn huyện"
message = "Dân số toàn huyện phải bằng tổng dân số các xã"
"#;

#[test]
fn a_users_catalogue_brings_its_own_rules() {
    let mut ws = workspace_with(vec![file(
        "huyen.csv",
        "Mã chỉ tiêu,Địa bàn,Năm,Giá trị\n\
         DAN_SO,Xã A,2020,1.000\nDAN_SO,Xã B,2020,2.000\nDAN_SO,Toàn huyện,2020,3.100\n\
         HO,Xã A,2020,1.200\nDAN_SO,Xã A,2021,1.500\n",
    )]);
    assert!(ws.set_catalog("not a catalogue").is_err());
    ws.set_catalog(USER_CATALOG).unwrap();
    let rules: Vec<&str> = ws.findings().iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"HO_LE_DAN_SO"), "{rules:?}");
    assert!(rules.contains(&"check.jump"), "{rules:?}");
    let sum = ws
        .findings()
        .iter()
        .find(|f| f.rule == "TINH_BANG_TONG_XA")
        .expect("the entity sum");
    assert!(
        sum.message_vi
            .contains("Toàn huyện: 3.100 ≠ tổng 2 đơn vị = 3.000 [2020]"),
        "{}",
        sum.message_vi
    );
    assert_eq!(sum.cells.len(), 3);
    assert!(!rules.contains(&"read.unknown-indicator"));
}

#[test]
fn a_finding_opens_its_rows_in_context() {
    let ws = with_a_wrong_part();
    let f = ws
        .findings()
        .iter()
        .find(|f| f.rule == "CBCC_XA_TONG")
        .unwrap();
    let view = ws.source_view(f.cells[0], 2).unwrap();
    let rows: Vec<u32> = view.rows.iter().map(|(r, _)| *r).collect();
    let row = reference_row("CBCC_XA", "2020");
    assert_eq!(rows, (row - 2..=row + 2).collect::<Vec<_>>());
    assert_eq!(view.rows[2].1[0], "CBCC_XA");
    // Spreadsheets too: the sheet's own rows.
    let xlsx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/read/long.xlsx"
    ))
    .unwrap();
    let ws = workspace_with(vec![file("a.xlsx", xlsx)]);
    let obs = ws.dataset().observations().next().unwrap();
    let view = ws.source_view(obs.cell, 1).unwrap();
    assert_eq!(
        view.rows.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    assert_eq!(view.rows[1].1[4], "13");
}

/// The built-in catalogue plus rules written as expressions.
fn with_expression_rules(extra: &str) -> String {
    format!("{}\n{extra}", baocao::catalog::Catalog::builtin_text())
}

const EXPRESSION_RULES: &str = r#"
[[rule]]
id = "EXPR_CBCC_XA"
kind = "expression"
left = "CBCC_XA"
op = "=="
right = "CB_CHUYEN_TRACH_XA + CONG_CHUC_XA"

[[rule]]
id = "EXPR_BIEN_CHE_GIAM"
kind = "expression"
left = "BIEN_CHE_GIAM_TY_LE"
op = "=="
right = "100 * (BIEN_CHE[2015] - BIEN_CHE[2020]) / BIEN_CHE[2015]"
tolerance = 0.05
"#;

#[test]
fn rules_written_as_expressions_hold_on_the_reference_and_catch_a_change() {
    let mut ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    ws.set_catalog(&with_expression_rules(EXPRESSION_RULES))
        .unwrap();
    let errors = errors(&ws);
    assert!(errors.is_empty(), "{errors:#?}");

    let mut ws = workspace_with(vec![file(
        "x.csv",
        reference_with("CONG_CHUC_XA", "2020", "2641"),
    )]);
    ws.set_catalog(&with_expression_rules(EXPRESSION_RULES))
        .unwrap();
    let f: Vec<_> = ws
        .findings()
        .iter()
        .filter(|f| f.rule == "EXPR_CBCC_XA")
        .collect();
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message_vi
            .contains("CBCC_XA = 4.864 ≠ CB_CHUYEN_TRACH_XA + CONG_CHUC_XA = 4.900 [2020]"),
        "{}",
        f[0].message_vi
    );
    assert!(f[0]
        .cells
        .iter()
        .any(|c| c.row == reference_row("CONG_CHUC_XA", "2020")));

    let mut ws = workspace_with(vec![file(
        "y.csv",
        reference_with("BIEN_CHE", "2015", "45000"),
    )]);
    ws.set_catalog(&with_expression_rules(EXPRESSION_RULES))
        .unwrap();
    let f: Vec<_> = ws
        .findings()
        .iter()
        .filter(|f| f.rule == "EXPR_BIEN_CHE_GIAM")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", ws.findings());
    assert!(f[0]
        .cells
        .iter()
        .any(|c| c.row == reference_row("BIEN_CHE", "2015")));
}

#[test]
fn a_malformed_rule_is_refused_when_the_catalogue_loads() {
    let mut ws = workspace_with(vec![file("ref.csv", REFERENCE_CSV)]);
    let before = ws.catalog_text.clone();
    let refused = |ws: &mut baocao::workspace::Workspace, rule: &str| {
        ws.set_catalog(&with_expression_rules(rule)).unwrap_err()
    };
    // An expression that does not parse, a period that does not read, an
    // unknown comparison, an unknown indicator: each named, none a crash.
    let bad = "[[rule]]\nid = \"BAD\"\nkind = \"expression\"\nleft = \"CBCC_XA\"\nop = \"==\"\nright = \"CONG_CHUC_XA + (\"\n";
    assert!(refused(&mut ws, bad).contains("quy tắc BAD"));
    let period = "[[rule]]\nid = \"KY\"\nkind = \"expression\"\nleft = \"CBCC_XA[năm ngoái]\"\nop = \"==\"\nright = \"1\"\n";
    assert!(refused(&mut ws, period).contains("kỳ không hợp lệ"));
    let op = "[[rule]]\nid = \"OP\"\nkind = \"expression\"\nleft = \"CBCC_XA\"\nop = \"=\"\nright = \"1\"\n";
    assert!(refused(&mut ws, op).contains("phép so sánh"));
    let unknown = "[[rule]]\nid = \"U\"\nkind = \"expression\"\nleft = \"KHONG_CO\"\nop = \"==\"\nright = \"1\"\n";
    assert!(refused(&mut ws, unknown).contains("KHONG_CO"));
    // The catalogue in use stays.
    assert_eq!(ws.catalog_text, before);
}

#[test]
fn rechecking_rereads_only_what_changed() {
    let mut ws = workspace_with(vec![
        file("a.csv", REFERENCE_CSV),
        file("b.csv", "code,period,value\nCBCC_XA,2020,4864\n"),
    ]);
    assert_eq!(ws.last_refresh_reads(), 2);
    ws.add_files(vec![file(
        "c.csv",
        "code,period,value\nCONG_CHUC_XA,2020,2641\n",
    )]);
    assert_eq!(ws.last_refresh_reads(), 1, "only the new file is read");
    assert!(ws.findings().iter().any(|f| f.rule == "conflict"));
    // Removing the first file moves the others up; their cells keep their ids.
    ws.remove_file("a.csv");
    assert_eq!(ws.last_refresh_reads(), 0);
    let ids = [ws.files[0].id, ws.files[1].id];
    assert!(ws
        .dataset()
        .observations()
        .all(|o| ids.contains(&o.cell.file)));
    assert_eq!(
        ws.dataset()
            .describe(&ws.dataset().observations().next().unwrap().cell)
            .file,
        "b.csv"
    );
    // A new encoding for one file re-reads that file only.
    ws.set_encoding("b.csv", baocao::ingest::TextEncoding::Windows1258);
    assert_eq!(ws.last_refresh_reads(), 1);
}

#[test]
fn large_files_wait_for_a_read_made_elsewhere_and_stale_reads_are_dropped() {
    let mut ws = baocao::workspace::Workspace::sample();
    ws.read_elsewhere_over = Some(1_000);
    let small = "code,period,value\nCBCC_XA,2020,4000\n";
    ws.add_files(vec![
        file("small.csv", small),
        file("big.csv", REFERENCE_CSV),
    ]);
    assert_eq!(ws.pending().len(), 1);
    let pending = ws.pending()[0].clone();
    let (small_id, big_id) = (ws.files[0].id, ws.files[1].id);
    assert_eq!((pending.name.as_str(), pending.file), ("big.csv", big_id));
    assert_eq!(
        ws.dataset().files.len(),
        2,
        "a file read elsewhere keeps its place"
    );
    // The checks and the report wait (the page runs them a step at a time).
    assert_eq!(ws.stale(), baocao::workspace::Stale::Derivation);
    assert!(ws.dataset().observations().all(|o| o.cell.file == small_id));
    // The read arrives (made as the worker makes it) and joins the checks.
    let read = |p: &baocao::workspace::PendingRead| {
        baocao::ingest::read_file(
            &p.name,
            p.bytes.as_deref().map_or(&[][..], |b| b.as_slice()),
            &ws_catalog(),
            p.file,
            &Default::default(),
            p.encoding,
        )
    };
    assert!(ws.add_read(&pending, read(&pending)));
    ws.settle();
    assert!(ws.pending().is_empty());
    assert!(ws.dataset().observations().any(|o| o.cell.file == big_id));
    assert!(
        ws.findings().iter().any(|f| f.rule == "conflict"),
        "small.csv's 4000 vs the reference"
    );
    // Cached now: changing another file does not make it pending again.
    ws.add_files(vec![file(
        "small.csv",
        "code,period,value\nCBCC_XA,2020,1957\n",
    )]);
    assert!(ws.pending().is_empty());
    // A new encoding makes it pending again; the read made for the old one is refused.
    ws.set_encoding("big.csv", baocao::ingest::TextEncoding::Windows1258);
    assert_eq!(ws.pending().len(), 1);
    assert!(!ws.add_read(&pending, read(&pending)));
    ws.remove_file("big.csv");
    assert!(ws.pending().is_empty());
}

fn ws_catalog() -> baocao::catalog::Catalog {
    baocao::catalog::Catalog::builtin()
}

#[test]
fn checking_a_slice_at_a_time_finds_what_checking_at_once_finds() {
    use baocao::check::{check, Checking};
    // Several kinds of finding at once: a wrong part (sum), a rank out of
    // range, and a conflict across two files.
    let ws = workspace_with(vec![
        file("a.csv", reference_with("CONG_CHUC_XA", "2020", "2641")),
        file("b.csv", reference_with("PAR_INDEX_HANG", "2018", "65")),
        file("c.csv", reference_with("CBCC_XA", "2020", "5000")),
    ]);
    let whole = check(ws.dataset(), &ws.catalog);
    assert!(whole.len() >= 3, "{whole:#?}");
    for budget in [0, 1, 7, 100, 5000] {
        let mut checking = Checking::new(ws.dataset(), &ws.catalog);
        let mut steps = 0;
        while !checking.step(budget) {
            steps += 1;
        }
        assert_eq!(checking.finish(), whole, "budget {budget}");
        if budget == 1 {
            assert!(steps > 100, "{steps} steps");
        }
    }
}

/// A sum rule over 3,000 communes, one of them wrong, read as a long file.
/// `extra_codes` more indicators of one commune make the per-entity,
/// per-indicator table of the index too large to keep, so the check
/// searches whole entities instead: the findings must not change.
fn sum_errors_among_communes(extra_codes: usize) -> Vec<Vec<u32>> {
    let mut csv = String::from("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
    for commune in 0..3000 {
        let part = if commune == 1234 { 2641 } else { 2605 };
        csv += &format!("CBCC_XA,Xã {commune},2020,4864\n");
        csv += &format!("CB_CHUYEN_TRACH_XA,Xã {commune},2020,2259\n");
        csv += &format!("CONG_CHUC_XA,Xã {commune},2020,{part}\n");
    }
    for code in 0..extra_codes {
        csv += &format!("KHAC_{code},Xã 0,2020,1\n");
    }
    let catalog = ws_catalog();
    let dataset = dataset_of(&csv);
    baocao::check::check(&dataset, &catalog)
        .into_iter()
        .filter(|f| f.rule == "CBCC_XA_TONG")
        .map(|f| f.cells.iter().map(|c| c.row).collect())
        .collect()
}

#[test]
fn rules_find_the_same_rows_whichever_way_the_index_searches() {
    // Rows of commune 1234: 2 + 3 × 1234 and the next two.
    let expected = vec![vec![3704, 3705, 3706]];
    assert_eq!(sum_errors_among_communes(0), expected);
    assert_eq!(sum_errors_among_communes(2000), expected);
}

#[test]
fn a_rules_findings_follow_its_head_figures_in_the_file() {
    // Communes meet first as parts, in one order; their totals come later,
    // in the reverse order: the findings follow the totals.
    let mut csv = String::from("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
    for commune in 0..20 {
        let part = if commune % 5 == 0 { 2641 } else { 2605 };
        csv += &format!("CB_CHUYEN_TRACH_XA,Xã {commune},2020,2259\n");
        csv += &format!("CONG_CHUC_XA,Xã {commune},2020,{part}\n");
    }
    for commune in (0..20).rev() {
        csv += &format!("CBCC_XA,Xã {commune},2020,4864\n");
    }
    let catalog = ws_catalog();
    let dataset = dataset_of(&csv);
    let whole = baocao::check::check(&dataset, &catalog);
    let totals: Vec<u32> = whole
        .iter()
        .filter(|f| f.rule == "CBCC_XA_TONG")
        .map(|f| f.cells[0].row)
        .collect();
    // Rows of the totals of communes 15, 10, 5 and 0.
    assert_eq!(totals, vec![46, 51, 56, 61]);
    // And checked a slice at a time, the same.
    let mut checking = baocao::check::Checking::new(&dataset, &catalog);
    while !checking.step(3) {}
    assert_eq!(checking.finish(), whole);
}

#[test]
fn a_derivation_run_a_step_at_a_time_makes_what_it_makes_at_once() {
    use baocao::workspace::{Stale, Workspace};
    // Entity charts need entities: the 20 communes of a sum rule, one wrong
    // (its cells are failed points), beside the reference; both read
    // elsewhere, as the page's worker reads them.
    let mut csv = String::from("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
    for commune in 0..20 {
        let part = if commune == 7 { 2641 } else { 2605 + commune };
        csv += &format!("CB_CHUYEN_TRACH_XA,Xã {commune},2020,2259\n");
        csv += &format!("CONG_CHUC_XA,Xã {commune},2020,{part}\n");
        csv += &format!("CBCC_XA,Xã {commune},2020,{}\n", 2259 + 2605 + commune);
    }
    let mut ws = Workspace::sample();
    ws.read_elsewhere_over = Some(1_000);
    ws.add_files(vec![file("ref.csv", REFERENCE_CSV), file("xa.csv", csv)]);
    for (p, f) in ws.pending().iter().zip(ws.files.clone()) {
        let read =
            baocao::ingest::read_file(&f.name, f.head(), &ws.catalog, f.id, &ws.limits, p.encoding);
        assert!(ws.add_read(p, read));
    }
    assert_eq!(ws.stale(), Stale::Derivation);
    let at_once = ws.derivation().expect("to derive").settle();
    let mut stepped = ws.derivation().expect("to derive");
    let mut steps = 0;
    while !stepped.step(7) {
        steps += 1;
    }
    assert!(steps > 10, "{steps} steps");
    let stepped = stepped.settle();
    assert_eq!(stepped.findings, at_once.findings);
    assert!(stepped.findings.iter().any(|f| f.rule == "CBCC_XA_TONG"));
    assert_eq!(stepped.report_data.charts(), at_once.report_data.charts());
    let entities = stepped
        .report_data
        .charts()
        .iter()
        .find(|c| c.id == "entities-CONG_CHUC_XA")
        .expect("an entity chart of CONG_CHUC_XA");
    assert!(entities.series[0].points.iter().any(|p| p.failed));
    // The workspace takes it, and then builds the document; what was
    // derived from a dataset that has changed since is refused.
    let earlier = ws.derivation().expect("to derive");
    assert!(ws.derived(stepped));
    assert_eq!(ws.stale(), Stale::Document);
    ws.settle();
    assert_eq!(ws.stale(), Stale::Nothing);
    assert!(ws.document().is_some());
    assert_eq!(ws.charts(), at_once.report_data.charts());
    ws.remove_file("xa.csv");
    assert!(!ws.derived(earlier.settle()));
}

#[test]
fn each_commune_is_held_to_its_own_latest_target() {
    // 3,000 communes each with a figure and two targets (the later one
    // counts); three fall short of it.
    let mut csv = String::from("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
    for commune in 0..3000 {
        let done = if commune % 1000 == 0 { "7,8" } else { "12" };
        csv += &format!("BIEN_CHE_GIAM_TY_LE,Xã {commune},2016-2020,{done}\n");
        csv += &format!("MUC_TIEU_GIAM_BIEN_CHE_TY_LE,Xã {commune},2021,10\n");
        csv += &format!("MUC_TIEU_GIAM_BIEN_CHE_TY_LE,Xã {commune},2020,1\n");
    }
    let catalog = ws_catalog();
    let dataset = dataset_of(&csv);
    let short: Vec<String> = baocao::check::check(&dataset, &catalog)
        .into_iter()
        .filter(|f| f.rule == "BIEN_CHE_GIAM_MUC_TIEU")
        .map(|f| f.message_vi)
        .collect();
    assert_eq!(short.len(), 3, "{short:#?}");
    assert!(
        short.iter().all(|m| m.contains("mục tiêu 10 [2021]")),
        "{short:#?}"
    );
}

/// A CSV read as the page reads a file, as file `id` named `name`.
fn read_csv(name: &str, id: u32, csv: &str) -> baocao::ingest::FileRead {
    baocao::ingest::read_file(
        name,
        csv.as_bytes(),
        &ws_catalog(),
        id,
        &Default::default(),
        Default::default(),
    )
}

/// A CSV of communes read as the page reads a file, into a dataset of its own.
fn dataset_of(csv: &str) -> baocao::model::Dataset {
    let read = read_csv("xa.csv", 0, csv);
    baocao::model::Dataset::from_observations(vec![read.source], read.observations)
}

#[test]
fn a_files_id_is_given_as_it_comes_in_and_stays_with_it() {
    use baocao::workspace::{Arriving, Content, InputFile, Workspace};
    let mut ws = Workspace::sample();
    ws.read_elsewhere_over = Some(1_000);
    // Dropped: a workbook is pending from the drop on, before its bytes.
    let book = InputFile::new("bieu.xlsx", Vec::new());
    let (book_id, csv) = (book.id, file("a.csv", REFERENCE_CSV));
    ws.register(Arriving {
        id: book_id,
        name: "bieu.xlsx".into(),
        size: 5_000,
    });
    let early = ws.pending();
    assert_eq!(early.len(), 1);
    assert_eq!((early[0].file, early[0].bytes.is_none()), (book_id, true));
    assert!(ws.is_sample, "the sample stays until data arrive");
    // Other files come and go meanwhile; the pending read stays the same read.
    ws.add_files(vec![csv.clone()]);
    assert!(ws.pending().contains(&early[0]));
    // Its bytes come: still the same read, now with its bytes.
    let bytes = std::fs::read("tests/fixtures/bieu/bieu-cbcc-huyen.xlsx").unwrap_or_default();
    ws.add_files(vec![InputFile {
        content: Content::Here(std::sync::Arc::new(bytes)),
        ..book
    }]);
    let pending = ws.pending();
    assert!(pending.contains(&early[0]));
    assert!(pending[0].bytes.is_some());
    // Removing the first file moves the workbook up the list, not its id.
    ws.remove_file("a.csv");
    assert_eq!(ws.files[0].id, book_id);
    assert!(ws.pending().contains(&early[0]));
    // A new version of a file takes the old one's place with an id of its own.
    ws.add_files(vec![csv.clone()]);
    let again = file("a.csv", &*REFERENCE_CSV.replace("2019", "2018"));
    ws.add_files(vec![again.clone()]);
    assert_eq!(ws.files[1].id, again.id);
    assert_ne!(again.id, csv.id);
    assert!(ws.dataset().observations().all(|o| o.cell.file == again.id));
    // A file that arrives as something else (a catalogue) leaves no read.
    let other = InputFile::new("danh-muc.xlsx", Vec::new());
    ws.register(Arriving {
        id: other.id,
        name: other.name.clone(),
        size: 5_000,
    });
    let before = ws.pending().len();
    ws.register(Arriving {
        id: other.id,
        name: other.name.clone(),
        size: 10,
    });
    assert_eq!(ws.pending().len(), before, "expected once");
    ws.not_arriving(other.id);
    assert_eq!(ws.pending().len(), before - 1);
}

#[test]
fn a_read_that_comes_before_its_files_bytes_waits_for_them() {
    use baocao::workspace::{Arriving, InputFile, Workspace};
    let mut ws = Workspace::sample();
    ws.read_elsewhere_over = Some(1_000);
    let big = file("big.csv", REFERENCE_CSV);
    ws.register(Arriving {
        id: big.id,
        name: big.name.clone(),
        size: big.size(),
    });
    let pending = ws.pending()[0].clone();
    let read = baocao::ingest::read_file(
        &big.name,
        big.head(),
        &ws_catalog(),
        big.id,
        &Default::default(),
        pending.encoding,
    );
    assert!(ws.add_read(&pending, read));
    assert!(ws.pending().is_empty(), "read already");
    assert!(ws.is_sample);
    ws.add_files(vec![InputFile { ..big.clone() }]);
    assert!(ws.pending().is_empty());
    assert_eq!(
        ws.last_refresh_reads(),
        0,
        "the read made elsewhere is used"
    );
    assert!(ws.dataset().observations().all(|o| o.cell.file == big.id));
    assert!(!ws.dataset().is_empty());
}

#[test]
fn a_file_kept_elsewhere_is_read_elsewhere_every_time_and_never_here() {
    use baocao::model::CellRef;
    use baocao::workspace::{Arriving, Content, Elsewhere, InputFile, Workspace};
    let mut ws = Workspace::sample();
    ws.read_elsewhere_over = Some(1_000);
    let bytes = REFERENCE_CSV.as_bytes();
    // The page keeps the file: the workspace has its size and first bytes.
    let big = InputFile::with(
        "big.csv",
        Content::Elsewhere(Elsewhere::new(bytes.len() as u64, bytes)),
    );
    ws.register(Arriving {
        id: big.id,
        name: big.name.clone(),
        size: big.size(),
    });
    ws.add_files(vec![big.clone()]);
    let pending = ws.pending();
    assert_eq!(pending.len(), 1);
    assert!(pending[0].bytes.is_none(), "read from the host's handle");
    let read = |p: &baocao::workspace::PendingRead| {
        baocao::ingest::read_file(&p.name, bytes, &p.catalog, p.file, &p.limits, p.encoding)
    };
    assert!(ws.add_read(&pending[0], read(&pending[0])));
    ws.settle();
    assert!(ws.pending().is_empty());
    assert!(!ws.dataset().is_empty());
    // Its rows around a finding are read where the file is, not here.
    let cell = ws.dataset().observations().next().map(|o| o.cell);
    let cell: CellRef = cell.expect("figures");
    assert!(ws.source_view(cell, 3).is_none());
    assert!(ws.view_of(cell, vec![(1, vec!["x".into()])]).is_some());
    // Another catalogue: read again, elsewhere, with no bytes to carry.
    let catalog = ws.catalog_text.replace("CBCC_XA", "CBCC_XA_MOI");
    assert!(ws.set_catalog(&catalog).is_ok());
    let again = ws.pending();
    assert_eq!((again.len(), again[0].bytes.is_none()), (1, true));
    assert!(ws.add_read(&again[0], read(&again[0])));
    assert!(ws.pending().is_empty());
}

#[test]
fn a_rule_broken_on_every_row_keeps_its_first_findings_and_counts_the_rest() {
    use baocao::cap::KEPT_PER_RULE;
    // 20,000 communes whose parts never add up, and whose counts are not
    // whole: two rules broken on every row.
    let mut csv = String::from("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
    for commune in 0..20_000 {
        csv += &format!("CBCC_XA,Xã {commune},2020,4864\n");
        csv += &format!("CB_CHUYEN_TRACH_XA,Xã {commune},2020,2259\n");
        csv += &format!("CONG_CHUC_XA,Xã {commune},2020,1.5\n");
    }
    let dataset = dataset_of(&csv);
    let catalog = ws_catalog();
    let whole = baocao::check::check(&dataset, &catalog);
    for rule in ["CBCC_XA_TONG", "value.count"] {
        let of_rule: Vec<_> = whole.iter().filter(|f| f.rule == rule).collect();
        assert_eq!(of_rule.len(), KEPT_PER_RULE + 1, "{rule}");
        // Exact: each kept finding counts one, the summary its `more` besides.
        let total: usize = of_rule.iter().map(|f| 1 + f.more).sum();
        assert_eq!(total, 20_000, "{rule}");
        let summary = of_rule.last().unwrap();
        assert!(
            summary.cells.is_empty() && summary.message_vi.contains("19.000"),
            "{}",
            summary.message_vi
        );
    }
    // The sum findings kept are the first in the file.
    let first = whole.iter().find(|f| f.rule == "CBCC_XA_TONG").unwrap();
    assert_eq!(first.cells[0].row, 2);
    // Checked a slice at a time: the same.
    let mut checking = baocao::check::Checking::new(&dataset, &catalog);
    while !checking.step(500) {}
    assert_eq!(checking.finish(), whole);
}

#[test]
fn a_reader_keeps_the_first_unreadable_cells_of_a_file_and_counts_the_rest() {
    let mut csv = String::from("Mã chỉ tiêu,Kỳ,Giá trị\n");
    for _ in 0..5_000 {
        csv += "CBCC_XA,2020,abc\n";
    }
    let read = baocao::ingest::read_file(
        "x.csv",
        csv.as_bytes(),
        &ws_catalog(),
        0,
        &Default::default(),
        Default::default(),
    );
    let bad: Vec<_> = read
        .findings
        .iter()
        .filter(|f| f.rule == "read.unreadable-value")
        .collect();
    assert_eq!(
        bad.len(),
        baocao::cap::KEPT_PER_RULE + 1,
        "{:?}",
        bad.first()
    );
    assert_eq!(bad.iter().map(|f| 1 + f.more).sum::<usize>(), 5_000);
    assert_eq!(bad.last().unwrap().file, Some(0));
}

/// The index against a plain search: observations in two files, their
/// entities' rows out of order, some keys repeated within and across files.
/// Each lookup finds the first observation of its key in reading order,
/// and an indicator's figures are its first ones, in reading order.
#[test]
fn the_index_finds_each_keys_first_observation_in_reading_order() {
    use baocao::check::Index;
    use baocao::model::{Dataset, ObservationRef, Period};
    let mut seed = 7u32;
    let mut next = |n: u32| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) % n
    };
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for (id, rows) in [(0u32, 400), (1, 150)] {
        let mut csv = String::from("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
        for _ in 0..rows {
            let (code, commune, year) = (next(4), next(9), 2018 + next(3));
            csv += &format!("K{code},Xã {commune},{year},{}\n", next(100));
        }
        let read = read_csv(&format!("{id}.csv"), id, &csv);
        files.push(read.source);
        parts.push(std::rc::Rc::new(read.observations));
    }
    let dataset = Dataset::new(files, parts);
    let all: Vec<ObservationRef> = dataset.observations().collect();
    assert_eq!(all.len(), 550);
    let index = Index::new(&dataset);
    let same = |a: &ObservationRef, b: &ObservationRef| {
        a.indicator == b.indicator && a.entity() == b.entity() && a.period == b.period
    };
    let mut firsts = Vec::new();
    for (i, o) in all.iter().enumerate() {
        let first = all.iter().position(|p| same(p, o)).unwrap();
        let found = index.get(o.indicator, o.entity(), o.period).unwrap();
        assert!(found.is(&all[first]), "observation {i}");
        if first == i {
            firsts.push(*o);
        }
    }
    for code in ["K0", "K1", "K2", "K3"] {
        let listed: Vec<_> = index.of(code).collect();
        let expected: Vec<_> = firsts.iter().filter(|o| o.indicator == code).collect();
        assert_eq!(listed.len(), expected.len(), "{code}");
        assert!(listed.iter().zip(&expected).all(|(a, b)| a.is(b)));
    }
    assert!(index.get("K0", Some("Xã 99"), Period::Year(2018)).is_none());
}

/// The report's own figures (no entity) come from the index in reading
/// order, from whichever files hold them, and none from a file of entities.
#[test]
fn the_index_lists_the_agencys_own_figures_in_reading_order() {
    use baocao::check::Figures;
    use baocao::model::{Dataset, ObservationRef};
    let read = |id: u32, csv: &str| {
        let read = read_csv(&format!("{id}.csv"), id, csv);
        (read.source, std::rc::Rc::new(read.observations))
    };
    let communes = "Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\nK0,Xã 1,2020,1\nK1,Xã 2,2020,2\n";
    let own = "Mã chỉ tiêu,Kỳ,Giá trị\nK0,2020,10\nK1,2021,11\n";
    let (files, parts): (Vec<_>, Vec<_>) = [
        read(0, communes),
        read(1, own),
        read(2, communes),
        read(3, own),
    ]
    .into_iter()
    .unzip();
    let dataset = Dataset::new(files.clone(), parts.clone());
    let expected: Vec<ObservationRef> = dataset
        .observations()
        .filter(|o| o.entity().is_none())
        .collect();
    assert_eq!(expected.len(), 4);
    let figures = Figures::new(&dataset);
    let listed: Vec<ObservationRef> = figures.agency().collect();
    assert_eq!(listed.len(), expected.len());
    assert!(listed.iter().zip(&expected).all(|(a, b)| a.is(b)));
    let only_communes = Dataset::new(vec![files[0].clone()], vec![parts[0].clone()]);
    assert_eq!(Figures::new(&only_communes).agency().count(), 0);
}

/// An entity's figure is charted when it has a number, even a NaN, and not
/// when its value is text ("nằm trong nhóm cao").
#[test]
fn the_index_tells_a_figure_without_a_number_from_a_nan() {
    use baocao::check::Figures;
    use baocao::model::{Dataset, Value};
    let csv = "Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\nK0,Xã 1,2020,1\nK0,Xã 2,2020,2\nK0,Xã 3,2020,3\nK1,,2020,4\n";
    let read = read_csv("a.csv", 0, csv);
    let mut observations = read.observations.to_vec();
    assert_eq!(observations.len(), 4);
    observations[1].value = Value::text("nằm trong nhóm cao");
    observations[2].value = Value::Number(f64::NAN);
    let dataset = Dataset::from_observations(vec![read.source], observations);
    let figures = Figures::new(&dataset);
    let numbers: Vec<Option<f64>> = (0..4)
        .map(|i| figures.entity_figure(i).map(|(_, n)| n))
        .collect();
    assert_eq!(numbers[0], Some(1.0));
    assert_eq!(numbers[1], None, "text is no number");
    assert!(numbers[2].is_some_and(f64::is_nan), "a NaN is a number");
    assert_eq!(numbers[3], None, "the agency's own figure is no entity's");
}

/// A figure given 50,000 times, each time with its own value: one conflict,
/// naming every cell, whose message lists the first sides and counts the
/// rest (listing them all would make a message of megabytes, and gathering
/// the cells must not be quadratic: 25 s for 300,000 rows).
#[test]
fn a_figure_given_thousands_of_times_is_one_conflict_with_a_short_message() {
    let mut csv = String::from("Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n");
    for i in 0..50_000 {
        csv += &format!("CBCC_XA,Xã 1,2020,{i}\n");
    }
    let dataset = dataset_of(&csv);
    let findings = baocao::check::check(&dataset, &ws_catalog());
    let conflicts: Vec<_> = findings.iter().filter(|f| f.rule == "conflict").collect();
    assert_eq!(conflicts.len(), 1);
    let conflict = conflicts[0];
    assert_eq!(conflict.cells.len(), 50_000);
    assert_eq!(conflict.cells[1].row, 3);
    let message = conflict.message(baocao::model::Lang::Vi);
    assert!(message.len() < 2_000, "{} bytes", message.len());
    assert!(message.contains("xa.csv dòng 21: 19"), "{message}");
    assert!(!message.contains("dòng 22:"), "{message}");
    assert!(message.ends_with("… và 49.980 giá trị nữa"), "{message}");
    // Its row in the findings' CSV lists the first thousand cells.
    let row =
        baocao::export::findings::row(conflict, &dataset, &ws_catalog(), baocao::model::Lang::Vi);
    let cells: Vec<&str> = row[8].split("; ").collect();
    assert_eq!(cells.len(), 1_001);
    assert_eq!((cells[1], cells[1_000]), ("xa.csv!D3", "… và 49.000 ô nữa"));
}
