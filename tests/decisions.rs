//! What a user's decisions and drops change in a workspace: a mistyped
//! code read as the code meant, a value kept where files disagree, and a
//! new version of a file that cannot be read.
#![cfg(not(target_arch = "wasm32"))]
use baocao::report::document::FigureStatus;
use baocao::workspace::{InputFile, Workspace};

const SAMPLE: &str = include_str!("../assets/sample-nq05-bac-giang.csv");

fn file(name: &str, text: String) -> InputFile {
    InputFile::new(name, text.into_bytes())
}

/// A code mistyped in an office's file: the page says which code was meant
/// and that the report misses that figure; once the user accepts, the file
/// is read with the code meant, the figure is back, and the choice is kept
/// with the workspace.
#[test]
fn a_mistyped_code_corrected_for_the_workspace_brings_its_figures_back() {
    // The code mistyped and the name left out, so only the code names the row.
    let csv = SAMPLE.replace(
        "\nCBCC_HUYEN,\"Cán bộ, công chức từ cấp huyện trở lên\",",
        "\nCBCC_HUYN,,",
    );
    let mut ws = Workspace::sample();
    ws.add_files(vec![file("so-lieu.csv", csv)]);
    let typo = ws
        .findings()
        .iter()
        .find(|f| f.rule == "read.unknown-indicator")
        .expect("the typo is found");
    assert_eq!(typo.raw.as_deref(), Some("CBCC_HUYN"));
    assert_eq!(
        baocao::ingest::shape::did_you_mean(&ws.catalog, "CBCC_HUYN").as_deref(),
        Some("CBCC_HUYEN")
    );
    let missing = |ws: &Workspace| {
        ws.document()
            .iter()
            .flat_map(|d| &d.figures)
            .filter(|f| f.status == FigureStatus::Missing && f.label.starts_with("CBCC_HUYEN "))
            .count()
    };
    assert!(missing(&ws) > 0);

    ws.correct_code("CBCC_HUYN", "CBCC_HUYEN")
        .expect("the alias is taken");
    assert!(!ws
        .findings()
        .iter()
        .any(|f| f.rule == "read.unknown-indicator"));
    assert_eq!(
        missing(&ws),
        0,
        "{:?}",
        ws.document()
            .iter()
            .flat_map(|d| &d.figures)
            .filter(|f| f.status == FigureStatus::Missing)
            .map(|f| &f.label)
            .collect::<Vec<_>>()
    );
    // Saved and opened again, the workspace still reads the typo as meant.
    let bytes = baocao::snapshot::write(&ws).expect("written");
    let back = baocao::snapshot::read(&bytes, &ws.limits, None).expect("read back");
    assert_eq!(missing(&back), 0);
    assert!(!back
        .findings()
        .iter()
        .any(|f| f.rule == "read.unknown-indicator"));
}

/// Two files disagree on a figure: the conflict names both. The user keeps
/// the second file's value: the conflict goes, a note says what was left
/// out, the report cites the kept value, and the choice is saved with the
/// workspace; taken back, the conflict returns.
#[test]
fn a_value_kept_where_files_disagree_is_the_one_the_report_cites() {
    let header = SAMPLE.lines().next().unwrap_or_default();
    let line = SAMPLE
        .lines()
        .find(|l| l.starts_with("VIEN_CHUC,") && l.contains(",2020,"))
        .expect("VIEN_CHUC 2020 in the sample");
    let other = format!("{header}\n{}\n", line.replace(",33928,", ",33982,"));
    let mut ws = Workspace::sample();
    ws.add_files(vec![
        file("so-lieu.csv", SAMPLE.to_string()),
        file("doi-chieu.csv", other),
    ]);
    let conflict = ws
        .findings()
        .iter()
        .find(|f| f.rule == "conflict")
        .expect("a conflict")
        .clone();
    let theirs = *conflict
        .cells
        .iter()
        .find(|c| c.file == ws.files[1].id)
        .expect("a cell in doi-chieu.csv");
    let cites = |ws: &Workspace, text: &str| {
        ws.document()
            .iter()
            .flat_map(|d| &d.figures)
            .any(|f| f.label == "VIEN_CHUC 2020" && f.text == text && f.status == FigureStatus::Ok)
    };
    assert!(!cites(&ws, "33.982"));

    ws.keep_value(theirs).expect("kept");
    assert!(!ws.findings().iter().any(|f| f.rule == "conflict"));
    let note = ws
        .findings()
        .iter()
        .find(|f| f.rule == baocao::workspace::KEPT_RULE)
        .expect("a note of the choice");
    assert_eq!(note.cells, vec![theirs]);
    assert!(note
        .message(baocao::model::Lang::Vi)
        .contains("doi-chieu.csv"));
    assert!(cites(&ws, "33.982"));

    let bytes = baocao::snapshot::write(&ws).expect("written");
    let back = baocao::snapshot::read(&bytes, &ws.limits, None).expect("read back");
    assert!(cites(&back, "33.982"));
    assert!(!back.findings().iter().any(|f| f.rule == "conflict"));

    ws.release_kept(theirs);
    assert!(ws.findings().iter().any(|f| f.rule == "conflict"));
    assert!(ws.kept.is_empty());
}

/// The fix loop: a new version of a file that reads to nothing but errors
/// (binary, empty) gives way to the version that worked, with a note that
/// says why; a version that reads replaces it.
#[test]
fn a_new_version_that_cannot_be_read_keeps_the_one_that_worked() {
    let mut ws = Workspace::sample();
    ws.add_files(vec![file("so-lieu.csv", SAMPLE.to_string())]);
    let figures = ws.dataset().len();
    assert!(figures > 50);
    for broken in [String::new(), "\u{0}\u{1}PK\u{3}\u{4}rác".repeat(500)] {
        ws.add_files(vec![file("so-lieu.csv", broken)]);
        assert_eq!(
            ws.dataset().len(),
            figures,
            "the working version's figures stay"
        );
        assert_eq!(ws.files.len(), 1);
        assert_eq!(ws.files[0].head(), SAMPLE.as_bytes());
        let note = ws
            .findings()
            .iter()
            .find(|f| f.rule == baocao::workspace::KEPT_EARLIER)
            .expect("a note says the new version was not read");
        assert!(note
            .message(baocao::model::Lang::Vi)
            .contains("so-lieu.csv"));
        assert_eq!(note.file, Some(ws.files[0].id));
    }
    // A version that reads replaces the old one, and the note goes.
    let changed = SAMPLE.replace(",1957,", ",1958,");
    ws.add_files(vec![file("so-lieu.csv", changed.clone())]);
    assert_eq!(ws.files[0].head(), changed.as_bytes());
    assert!(!ws
        .findings()
        .iter()
        .any(|f| f.rule == baocao::workspace::KEPT_EARLIER));
    // A new file of another name is added whatever it holds: nothing is lost.
    ws.add_files(vec![file("rong.csv", String::new())]);
    assert_eq!(ws.files.len(), 2);
    assert!(ws.findings().iter().any(|f| f.rule == "read.empty-file"));
}
