//! The page's read jobs (`read_jobs::ReadJobs`), transition by transition:
//! a drop's read claimed by its pending file, before or after it ends; a
//! drop that was not data; a catalogue dropped mid-read; a file that went
//! away; a worker that dies; a failed read; a read begun for another place.
//! A handle is a number here (a `Blob` in the page).
#![cfg(not(target_arch = "wasm32"))]
use baocao::catalog::Catalog;
use baocao::ingest::{read_file, FileRead, Limits};
use baocao::protocol::Reply;
use baocao::read_jobs::{Command, ReadJobs};
use baocao::wire::Encoder;
use baocao::workspace::{PendingRead, Workspace};
use std::sync::Arc;

const CSV: &str =
    "Mã chỉ tiêu,Kỳ,Giá trị\nCBCC_XA,2020,4864\nCBCC_HUYEN,2020,2259\nVIEN_CHUC,2020,41051\n";

type Jobs = ReadJobs<u32>;

fn pending(name: &str, file: u32) -> PendingRead {
    PendingRead {
        name: name.into(),
        bytes: Arc::new(CSV.as_bytes().to_vec()),
        encoding: Default::default(),
        file,
    }
}

/// What the machine says for one event.
fn said<T>(event: impl FnOnce(&mut dyn FnMut(Command<u32>)) -> T) -> (T, Vec<Command<u32>>) {
    let mut out = Vec::new();
    let value = event(&mut |c| out.push(c));
    (value, out)
}

/// The worker's replies for a finished read of `CSV` as file `file`: the
/// head, its chunks (two observations each), then done.
fn replies(job: u32, file: u32) -> Vec<Reply> {
    let read = read_file(
        "a.csv",
        CSV.as_bytes(),
        &Catalog::builtin(),
        file,
        &Limits::default(),
        Default::default(),
    );
    assert_eq!(read.observations.len(), 3);
    let mut encoder = Encoder::new(2);
    let head = encoder.finish(read, Vec::new());
    let mut out = vec![Reply::Head { job, head }];
    out.extend(encoder.map(|chunk| Reply::Chunk { job, chunk }));
    out.push(Reply::Done { job });
    out
}

fn feed(jobs: &mut Jobs, replies: Vec<Reply>) -> Vec<Command<u32>> {
    let mut out = Vec::new();
    for r in replies {
        jobs.reply(r, &mut |c| out.push(c));
    }
    out
}

fn done(commands: &[Command<u32>]) -> Vec<(&PendingRead, &FileRead)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Done(p, read) => Some((p, &**read)),
            _ => None,
        })
        .collect()
}

fn user_workspace() -> Workspace {
    let mut ws = Workspace::sample();
    ws.is_sample = false;
    ws.files.clear();
    ws
}

#[test]
fn a_drops_read_is_claimed_by_its_pending_file_and_handed_on_when_done() {
    let (ws, mut jobs) = (user_workspace(), Jobs::default());
    let (started, out) = said(|o| jobs.dropped(vec![("a.csv".into(), 7)], &ws, o));
    assert_eq!(started, vec![0]);
    assert!(matches!(
        &out[..],
        [Command::ReadDropped {
            job: 0,
            bytes: 7,
            file: 0,
            ..
        }]
    ));
    let ((), out) = said(|o| jobs.handed_over(&started, &[7], o));
    assert!(out.is_empty(), "{out:?}");
    // The pending file of the same bytes claims it: no second read.
    let p = pending("a.csv", 0);
    let ((), out) = said(|o| jobs.pending(&[(p.clone(), Some(7))], &ws, o));
    assert!(out.is_empty(), "{out:?}");
    let ((), _) = said(|o| jobs.reply(Reply::Progress { job: 0, done: 0.5 }, o));
    assert_eq!(jobs.progress(), vec![("a.csv".to_string(), 0.5)]);
    let out = feed(&mut jobs, replies(0, 0));
    // The next chunk is asked for at the head and at each chunk.
    let nexts = out.iter().filter(|c| matches!(c, Command::Next(0))).count();
    assert_eq!(nexts, 3, "{out:?}");
    let done = done(&out);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].0, &p);
    assert_eq!(done[0].1.observations.len(), 3);
    assert!(jobs.is_idle());
}

#[test]
fn a_read_that_ends_before_its_file_is_pending_is_handed_on_at_the_claim() {
    let (ws, mut jobs) = (user_workspace(), Jobs::default());
    let (started, _) = said(|o| jobs.dropped(vec![("a.csv".into(), 7)], &ws, o));
    assert!(done(&feed(&mut jobs, replies(0, 0))).is_empty());
    assert!(!jobs.is_idle(), "the ended read waits for its file");
    let ((), _) = said(|o| jobs.handed_over(&started, &[7], o));
    let ((), out) = said(|o| jobs.pending(&[(pending("a.csv", 0), Some(7))], &ws, o));
    assert_eq!(done(&out).len(), 1, "{out:?}");
    assert!(jobs.is_idle());
}

#[test]
fn a_dropped_file_that_was_not_data_stops_at_once_and_one_unclaimed_at_the_next_look() {
    let (ws, mut jobs) = (user_workspace(), Jobs::default());
    let files = vec![
        ("a.csv".into(), 7),
        ("danh-muc.toml".into(), 8),
        ("b.csv".into(), 9),
    ];
    let (started, _) = said(|o| jobs.dropped(files, &ws, o));
    let ((), out) = said(|o| jobs.handed_over(&started, &[7, 9], o));
    assert!(matches!(&out[..], [Command::Cancel(1)]), "{out:?}");
    // b.csv never became pending (say its bytes could not be taken).
    let ((), out) = said(|o| jobs.pending(&[(pending("a.csv", 0), Some(7))], &ws, o));
    assert!(matches!(&out[..], [Command::Cancel(2)]), "{out:?}");
    assert_eq!(jobs.progress().len(), 1);
}

#[test]
fn a_catalogue_dropped_mid_read_starts_a_read_with_it_and_stops_the_first() {
    let (mut ws, mut jobs) = (user_workspace(), Jobs::default());
    let (started, _) = said(|o| jobs.dropped(vec![("a.csv".into(), 7)], &ws, o));
    let ((), _) = said(|o| jobs.handed_over(&started, &[7], o));
    ws.catalog_text
        .push_str("\n# a catalogue of the province\n");
    let ((), out) = said(|o| jobs.pending(&[(pending("a.csv", 0), Some(7))], &ws, o));
    match &out[..] {
        [Command::ReadPending {
            job: 1, settings, ..
        }, Command::Cancel(0)] => {
            assert_eq!(settings.catalog, ws.catalog_text);
        }
        other => panic!("{other:?}"),
    }
    // The first read's late replies change nothing.
    assert!(feed(&mut jobs, replies(0, 0)).is_empty());
    assert_eq!(done(&feed(&mut jobs, replies(1, 0))).len(), 1);
}

#[test]
fn a_file_no_longer_pending_has_its_read_stopped_and_its_replies_ignored() {
    let (ws, mut jobs) = (user_workspace(), Jobs::default());
    let ((), out) = said(|o| jobs.pending(&[(pending("a.csv", 0), None)], &ws, o));
    assert!(
        matches!(&out[..], [Command::ReadPending { job: 0, .. }]),
        "{out:?}"
    );
    // The same pending file again starts nothing new.
    let ((), out) = said(|o| jobs.pending(&[(pending("a.csv", 0), None)], &ws, o));
    assert!(out.is_empty(), "{out:?}");
    let ((), out) = said(|o| jobs.pending(&[], &ws, o));
    assert!(matches!(&out[..], [Command::Cancel(0)]), "{out:?}");
    assert!(feed(&mut jobs, replies(0, 0)).is_empty());
    assert!(jobs.is_idle());
}

#[test]
fn a_worker_that_dies_fails_every_read_each_kept_for_its_file() {
    let (ws, mut jobs) = (user_workspace(), Jobs::default());
    let ((), _) = said(|o| jobs.pending(&[(pending("a.csv", 0), None)], &ws, o));
    let (_, _) = said(|o| jobs.dropped(vec![("b.csv".into(), 9)], &ws, o));
    let ((), out) = said(|o| jobs.worker_died("hết bộ nhớ", o));
    let failed = done(&out);
    assert_eq!(
        failed.len(),
        1,
        "the pending file's read now; the dropped one's at its claim"
    );
    let finding = &failed[0].1.findings[0];
    assert_eq!(finding.rule, "read.failed");
    assert!(
        finding.message_vi.contains("hết bộ nhớ"),
        "{}",
        finding.message_vi
    );
    let p = pending("b.csv", 1);
    let ((), out) = said(|o| jobs.pending(&[(p, Some(9))], &ws, o));
    assert_eq!(done(&out).len(), 1, "{out:?}");
    assert!(jobs.is_idle());
}

#[test]
fn a_failed_reply_is_a_file_that_could_not_be_read() {
    let (ws, mut jobs) = (user_workspace(), Jobs::default());
    let ((), _) = said(|o| jobs.pending(&[(pending("a.csv", 2), None)], &ws, o));
    let failed = Reply::Failed {
        job: 0,
        message: "tệp hỏng".into(),
    };
    let out = feed(&mut jobs, vec![failed]);
    let done = done(&out);
    assert_eq!(done[0].1.findings[0].rule, "read.failed");
    assert_eq!(done[0].1.findings[0].cells.first().map(|c| c.file), None);
    assert_eq!(done[0].1.findings[0].file, Some(2));
}

#[test]
fn a_read_begun_for_another_place_is_moved_to_its_files_place() {
    let (ws, mut jobs) = (user_workspace(), Jobs::default());
    let (started, out) = said(|o| jobs.dropped(vec![("b.csv".into(), 9)], &ws, o));
    assert!(matches!(&out[..], [Command::ReadDropped { file: 0, .. }]));
    let ((), _) = said(|o| jobs.handed_over(&started, &[9], o));
    // Another file took place 0 in the same drop.
    let ((), _) = said(|o| jobs.pending(&[(pending("b.csv", 1), Some(9))], &ws, o));
    let out = feed(&mut jobs, replies(0, 0));
    let read = done(&out)[0].1;
    assert!(read.observations.iter().all(|o| o.cell.file == 1));
}

#[test]
fn one_off_requests_take_numbers_of_their_own_and_are_not_reads() {
    let (ws, mut jobs) = (user_workspace(), Jobs::default());
    let ask = jobs.new_job();
    let ((), out) = said(|o| jobs.pending(&[(pending("a.csv", 0), None)], &ws, o));
    assert!(matches!(&out[..], [Command::ReadPending { job, .. }] if *job != ask));
    assert!(!jobs.is_read(ask));
    assert!(jobs.is_read(ask + 1));
}
