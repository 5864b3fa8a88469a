//! The page's read jobs (`read_jobs::ReadJobs`), transition by transition:
//! a drop's read started at once and handed on, before or after the file's
//! bytes arrive; a drop that was not data; a catalogue dropped mid-read; an
//! encoding changed mid-read; a file removed; a worker that dies; a failed
//! read; a restored file read from its bytes; progress; a read in parts
//! begun again whole. The pending reads
//! come from a real workspace; a dropped file's handle is a number here (a
//! `Blob` in the page).
#![cfg(not(target_arch = "wasm32"))]
use baocao::catalog::Catalog;
use baocao::ingest::{read_file, FileRead, Limits, TextEncoding};
use baocao::model::FileId;
use baocao::protocol::Reply;
use baocao::read_jobs::{Command, ReadJobs};
use baocao::wire::Encoder;
use baocao::workspace::{Arriving, InputFile, PendingRead, Workspace};

const CSV: &str =
    "Mã chỉ tiêu,Kỳ,Giá trị\nCBCC_XA,2020,4864\nCBCC_HUYEN,2020,2259\nVIEN_CHUC,2020,41051\n";

/// A handle on a dropped file: here, a number.
type Handle = u32;

/// What the machine says for one event.
fn said<T>(event: impl FnOnce(&mut dyn FnMut(Command<Handle>)) -> T) -> (T, Vec<Command<Handle>>) {
    let mut out = Vec::new();
    let value = event(&mut |c| out.push(c));
    (value, out)
}

/// The worker's replies for a finished read of `CSV` as file `file`: the
/// head, its chunks (two observations each), then done.
fn replies(job: u32, file: FileId) -> Vec<Reply> {
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

fn feed(jobs: &mut ReadJobs, replies: Vec<Reply>) -> Vec<Command<Handle>> {
    let mut out = Vec::new();
    for r in replies {
        jobs.reply(r, &mut |c| out.push(c));
    }
    out
}

fn done(commands: &[Command<Handle>]) -> Vec<(&PendingRead, &FileRead)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Done(p, read, _) => Some((p, &**read)),
            _ => None,
        })
        .collect()
}

/// A workspace of the user's that reads files over 10 bytes elsewhere.
fn user_workspace() -> Workspace {
    let mut ws = Workspace::sample();
    ws.is_sample = false;
    ws.files.clear();
    ws.read_elsewhere_over = Some(10);
    ws.refresh_data();
    ws
}

/// Drops `CSV` as `name`: the workspace expects it (its bytes to come).
fn drop_file(ws: &mut Workspace, name: &str) -> InputFile {
    let file = InputFile::new(name, CSV);
    ws.register(Arriving {
        id: file.id,
        name: file.name.clone(),
        size: CSV.len() as u64,
    });
    file
}

/// The workspace's pending reads, each with its handle when `handles` has one.
fn looked_at(
    jobs: &mut ReadJobs,
    ws: &Workspace,
    handles: &[(FileId, Handle)],
) -> Vec<Command<Handle>> {
    let pending: Vec<(PendingRead, Option<Handle>)> = ws
        .pending()
        .into_iter()
        .map(|p| {
            let handle = handles.iter().find(|(id, _)| *id == p.file).map(|h| h.1);
            (p, handle)
        })
        .collect();
    said(|o| jobs.pending(&pending, ws, o)).1
}

#[test]
fn a_drops_read_starts_from_the_dropped_file_and_goes_on_when_its_bytes_come() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    let out = looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    match &out[..] {
        [Command::Read {
            job: 0,
            pending,
            handle: Some(7),
            settings,
        }] => {
            assert_eq!((pending.file, pending.bytes.is_none()), (a.id, true));
            assert_eq!(settings.catalog, ws.catalog_text);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(jobs.progress(), vec![("a.csv".to_string(), 0.0)]);
    // The bytes come: the same read goes on.
    ws.add_files(vec![a.clone()]);
    assert!(looked_at(&mut jobs, &ws, &[(a.id, 7)]).is_empty());
    let out = feed(&mut jobs, replies(0, a.id));
    assert!(
        matches!(out[0], Command::Next(0)),
        "the next chunk asked first"
    );
    let done = done(&out);
    assert_eq!(done.len(), 1);
    assert!(done[0].1.observations.iter().all(|o| o.cell.file == a.id));
    assert!(ws.add_read(done[0].0, done[0].1.clone()));
    assert_eq!(ws.dataset().len(), 3);
    assert!(jobs.is_idle());
    assert!(looked_at(&mut jobs, &ws, &[(a.id, 7)]).is_empty());
}

#[test]
fn a_read_that_ends_before_its_files_bytes_arrive_waits_for_them() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    let out = feed(&mut jobs, replies(0, a.id));
    let (p, read) = done(&out)[0];
    assert!(ws.add_read(p, read.clone()));
    assert!(ws.pending().is_empty());
    assert!(looked_at(&mut jobs, &ws, &[(a.id, 7)]).is_empty());
    ws.add_files(vec![a]);
    assert_eq!(ws.last_refresh_reads(), 0);
    assert_eq!(ws.dataset().len(), 3);
}

#[test]
fn a_dropped_file_that_was_not_data_has_its_read_stopped() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "danh-muc.csv");
    looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    ws.not_arriving(a.id);
    let out = looked_at(&mut jobs, &ws, &[]);
    assert!(matches!(&out[..], [Command::Cancel(0)]), "{out:?}");
    assert!(feed(&mut jobs, replies(0, a.id)).is_empty());
    assert!(jobs.is_idle());
}

#[test]
fn a_catalogue_dropped_mid_read_stops_the_read_and_starts_one_with_it() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    ws.add_files(vec![a.clone()]);
    looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    let first = ws.pending()[0].clone();
    let text = format!("{}\n# a catalogue of the province\n", ws.catalog_text);
    ws.set_catalog(&text).expect("the catalogue parses");
    let out = looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    match &out[..] {
        [Command::Cancel(0), Command::Read {
            job: 1, settings, ..
        }] => assert_eq!(settings.catalog, text),
        other => panic!("{other:?}"),
    }
    // The first read's late replies change nothing, and a read made with
    // the old catalogue is refused.
    assert!(feed(&mut jobs, replies(0, a.id)).is_empty());
    let stale = read_file(
        "a.csv",
        CSV.as_bytes(),
        &Catalog::builtin(),
        a.id,
        &Limits::default(),
        TextEncoding::Auto,
    );
    assert!(!ws.add_read(&first, stale));
    let out = feed(&mut jobs, replies(1, a.id));
    let (p, read) = done(&out)[0];
    assert!(ws.add_read(p, read.clone()));
}

#[test]
fn an_encoding_chosen_mid_read_stops_the_read_and_starts_one_with_it() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    ws.add_files(vec![a.clone()]);
    looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    ws.set_encoding("a.csv", TextEncoding::Windows1258);
    let out = looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    match &out[..] {
        [Command::Cancel(0), Command::Read {
            job: 1, settings, ..
        }] => {
            assert_eq!(settings.encoding, TextEncoding::Windows1258)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_removed_mid_read_has_its_read_stopped_and_its_replies_ignored() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    ws.add_files(vec![a.clone()]);
    looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    // The same pending read again starts nothing new.
    assert!(looked_at(&mut jobs, &ws, &[(a.id, 7)]).is_empty());
    ws.remove_file("a.csv");
    let out = looked_at(&mut jobs, &ws, &[]);
    assert!(matches!(&out[..], [Command::Cancel(0)]), "{out:?}");
    assert!(feed(&mut jobs, replies(0, a.id)).is_empty());
    assert!(jobs.is_idle());
}

#[test]
fn a_worker_that_dies_fails_every_read_each_kept_for_its_file() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    let b = drop_file(&mut ws, "b.csv");
    ws.add_files(vec![a.clone()]);
    looked_at(&mut jobs, &ws, &[(a.id, 7), (b.id, 9)]);
    let ((), out) = said(|o| jobs.worker_died("hết bộ nhớ", o));
    let failed = done(&out);
    assert_eq!(failed.len(), 2);
    for (p, read) in &failed {
        let finding = &read.findings[0];
        assert_eq!(finding.rule, "read.failed");
        assert_eq!(finding.file, Some(p.file));
        assert!(
            finding.message_vi.contains("hết bộ nhớ"),
            "{}",
            finding.message_vi
        );
        assert!(ws.add_read(p, (*read).clone()));
    }
    assert!(jobs.is_idle());
    // Both files stay, each with the reason it could not be read.
    ws.add_files(vec![b.clone()]);
    let failed_files: Vec<_> = ws
        .findings()
        .iter()
        .filter(|f| f.rule == "read.failed")
        .filter_map(|f| f.file)
        .collect();
    assert_eq!(failed_files, vec![a.id, b.id]);
}

#[test]
fn a_failed_reply_is_a_file_that_could_not_be_read() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    let failed = Reply::Failed {
        job: 0,
        message: "tệp hỏng".into(),
    };
    let out = feed(&mut jobs, vec![failed]);
    let done = done(&out);
    assert_eq!(done[0].1.findings[0].rule, "read.failed");
    assert_eq!(done[0].1.findings[0].cells.first().map(|c| c.file), None);
    assert_eq!(done[0].1.findings[0].file, Some(a.id));
}

#[test]
fn a_restored_file_is_read_from_its_bytes_and_a_file_without_either_waits() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let restored = InputFile::new("a.csv", CSV);
    ws.add_files(vec![restored.clone()]);
    let out = looked_at(&mut jobs, &ws, &[]);
    assert!(
        matches!(&out[..], [Command::Read { handle: None, pending, .. }] if pending.bytes.is_some()),
        "{out:?}"
    );
    // Dropped, but the page has no handle for it yet: nothing to read from.
    let b = drop_file(&mut ws, "b.csv");
    assert!(looked_at(&mut jobs, &ws, &[]).is_empty());
    let out = looked_at(&mut jobs, &ws, &[(b.id, 9)]);
    assert!(
        matches!(
            &out[..],
            [Command::Read {
                handle: Some(9),
                ..
            }]
        ),
        "{out:?}"
    );
}

#[test]
fn progress_is_shown_per_file_until_the_read_ends() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    let ((), out) = said(|o| jobs.reply(Reply::Progress { job: 0, done: 0.5 }, o));
    assert!(out.is_empty());
    assert_eq!(jobs.progress(), vec![("a.csv".to_string(), 0.5)]);
    feed(&mut jobs, replies(0, a.id));
    assert!(jobs.progress().is_empty());
}

#[test]
fn a_read_begun_again_whole_keeps_nothing_streamed_before() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let a = drop_file(&mut ws, "a.csv");
    looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    // Parts 0 and 1 of a read in parts stream, then cannot be joined.
    let read = read_file(
        "a.csv",
        CSV.as_bytes(),
        &Catalog::builtin(),
        a.id,
        &Limits::default(),
        Default::default(),
    );
    let streamed = |part| Reply::Streamed {
        job: 0,
        part,
        chunk: Encoder::new(10).pack(&read.observations.to_vec()),
    };
    feed(
        &mut jobs,
        vec![
            streamed(0),
            streamed(1),
            Reply::Progress { job: 0, done: 0.9 },
        ],
    );
    feed(&mut jobs, vec![Reply::Restart { job: 0 }]);
    assert_eq!(jobs.progress(), vec![("a.csv".to_string(), 0.0)]);
    // A chunk of part 1 still on its way when the read began again is void.
    feed(&mut jobs, vec![streamed(1)]);
    let out = feed(&mut jobs, replies(0, a.id));
    let [(_, back)] = &done(&out)[..] else {
        panic!("{out:?}")
    };
    assert_eq!(
        back.observations, read.observations,
        "the whole read's alone"
    );
}

#[test]
fn one_off_requests_take_numbers_of_their_own_and_are_not_reads() {
    let (mut ws, mut jobs) = (user_workspace(), ReadJobs::default());
    let ask = jobs.new_job();
    let a = drop_file(&mut ws, "a.csv");
    let out = looked_at(&mut jobs, &ws, &[(a.id, 7)]);
    assert!(matches!(&out[..], [Command::Read { job, .. }] if *job != ask));
    assert!(!jobs.is_read(ask));
    assert!(jobs.is_read(ask + 1));
}
