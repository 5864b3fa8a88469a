//! What the page sees of a read's observations as its chunks arrive
//! (`check::Sighting`) stands in for the index's own pass over them: the
//! findings and every figure are the same with it as without, whichever
//! parts come with one, and a read's sighting reaches the workspace's next
//! derivation only while its observations are unchanged.
#![cfg(not(target_arch = "wasm32"))]
mod common;
use baocao::catalog::Catalog;
use baocao::check::{check, Checking, Sighting};
use baocao::ingest::{read_file, Limits};
use baocao::model::{CellRef, Dataset, Finding, ObservationRef, Part, Value};
use baocao::protocol::Reply;
use baocao::read_jobs::{Command, ReadJobs};
use baocao::wire::Encoder;
use baocao::workspace::Workspace;
use common::*;

/// Communes, a repeated figure with two values, a text value, the
/// agency's own figures in a file of their own, and a commune again in a
/// third file (the same texts in other labels).
const FILES: [(&str, &str); 3] = [
    (
        "xa.csv",
        "Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n\
         CBCC_XA,Xã A,2020,4864\nCBCC_XA,Xã A,2020,4865\nCONG_CHUC_XA,Xã B,2020,12\n\
         PAPI_NHOM,Xã B,2020,Trung bình cao\nCBCC_XA,Xã B,2021,5000\n",
    ),
    (
        "tinh.csv",
        "Mã chỉ tiêu,Kỳ,Giá trị\nCBCC_XA,2020,4864\nCBCC_HUYEN,2020,2259\nVIEN_CHUC,2020,41051\n",
    ),
    (
        "xa2.csv",
        "Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n\
         CBCC_HUYEN,Xã B,2020,7\nCBCC_XA,Xã C,2020,1\nCBCC_XA,Xã A,2021,4900\n",
    ),
];

/// A sighting made as chunks come: the observations in three runs.
fn sighting_of(observations: &Part) -> Sighting {
    let mut sighting = Sighting::new();
    let (third, len) = (observations.len() / 3, observations.len());
    for run in [0..third, third..2 * third, 2 * third..len] {
        sighting.see(observations, run);
    }
    sighting
}

/// A figure as the index holds it, with its number's bits (a NaN equals itself).
type Figure = Option<(u64, u64)>;

/// The findings, each observation's figure and the agency's figures (by
/// their cells), checked a few observations' worth at a time.
fn derived(
    dataset: &Dataset,
    catalog: &Catalog,
    sightings: Vec<Option<Sighting>>,
) -> (Vec<Finding>, Vec<Figure>, Vec<CellRef>) {
    let mut checking = Checking::sighted(dataset, catalog, sightings);
    while !checking.step(3) {}
    let (findings, figures) = checking.finish_with_figures();
    let figures = figures.expect("the checks ran to their end");
    let each = (0..figures.len())
        .map(|i| figures.entity_figure(i).map(|(k, n)| (k, n.to_bits())))
        .collect();
    let agency = figures.agency().map(|o| o.cell).collect();
    (findings, each, agency)
}

fn dataset_of_files() -> (Dataset, Catalog) {
    let catalog = Catalog::builtin();
    let reads: Vec<_> = (0u32..)
        .zip(FILES)
        .map(|(id, (name, csv))| {
            read_file(
                name,
                csv.as_bytes(),
                &catalog,
                id,
                &Limits::default(),
                Default::default(),
            )
        })
        .collect();
    let files = reads.iter().map(|r| r.source.clone()).collect();
    let parts = reads
        .into_iter()
        .map(|r| std::rc::Rc::new(r.observations))
        .collect();
    (Dataset::new(files, parts), catalog)
}

#[test]
fn the_checks_and_figures_are_the_same_with_sightings_of_any_parts() {
    let (dataset, catalog) = dataset_of_files();
    let parts: Vec<&Part> = dataset.parts().collect();
    let without = derived(&dataset, &catalog, Vec::new());
    assert_eq!(
        without,
        (
            check(&dataset, &catalog),
            without.1.clone(),
            without.2.clone()
        )
    );
    assert!(
        without.0.iter().any(|f| f.rule == "conflict"),
        "{:#?}",
        without.0
    );
    assert!(without.1.iter().any(Option::is_some) && without.1.iter().any(Option::is_none));
    assert_eq!(without.2.len(), 3, "the agency's three figures");
    for sighted in 1..8u32 {
        let sightings = (0..parts.len())
            .map(|p| (sighted >> p & 1 == 1).then(|| sighting_of(parts[p])))
            .collect();
        assert_eq!(
            derived(&dataset, &catalog, sightings),
            without,
            "sightings of parts {sighted:03b}"
        );
    }
}

#[test]
fn the_samples_checks_are_the_same_with_a_sighting_of_every_part() {
    let ws = workspace_with(FILES.iter().map(|(name, csv)| file(name, *csv)).collect());
    let dataset = ws.dataset();
    assert!(dataset.parts().count() > 1 && !ws.findings().is_empty());
    let sightings = dataset.parts().map(|p| Some(sighting_of(p))).collect();
    assert_eq!(
        derived(dataset, &ws.catalog, sightings),
        derived(dataset, &ws.catalog, Vec::new())
    );
}

#[test]
fn a_sighting_of_too_few_observations_is_left_aside() {
    let (dataset, catalog) = dataset_of_files();
    let parts: Vec<&Part> = dataset.parts().collect();
    let without = derived(&dataset, &catalog, Vec::new());
    // A part's sighting one observation short is not that part's.
    let short = sighting_of(&parts[0].slice(1..parts[0].len()));
    assert_eq!(derived(&dataset, &catalog, vec![Some(short)]), without);
}

/// The worker's replies for a finished read of `csv`, in chunks of two,
/// the head correcting observation 1 to `corrected`.
fn replies(job: u32, csv: &str, corrected: f64) -> Vec<Reply> {
    let catalog = Catalog::builtin();
    let read = read_file(
        "a.csv",
        csv.as_bytes(),
        &catalog,
        0,
        &Limits::default(),
        Default::default(),
    );
    let mut encoder = Encoder::new(2);
    let streamed: Vec<_> = read
        .observations
        .to_vec()
        .chunks(2)
        .map(|c| encoder.pack(c))
        .collect();
    let mut rest = read;
    rest.observations = Part::new();
    let head = encoder.finish(rest, vec![(1, Value::Number(corrected))]);
    let mut out: Vec<Reply> = (streamed.into_iter())
        .map(|chunk| Reply::Streamed {
            job,
            part: 0,
            chunk,
        })
        .collect();
    out.push(Reply::Head { job, head });
    out.extend(encoder.map(|chunk| Reply::Chunk { job, chunk }));
    out.push(Reply::Done { job });
    out
}

/// A workspace that reads `csv` elsewhere, and the read jobs' end of its
/// read, streamed in chunks of two with observation 1 corrected.
fn streamed(csv: &str, corrected: f64) -> (Workspace, Command<u32>) {
    let mut ws = workspace_with(Vec::new());
    ws.read_elsewhere_over = Some(10);
    ws.add_files(vec![file("a.csv", csv)]);
    let pending = ws.pending();
    assert_eq!(pending.len(), 1);
    let mut jobs = ReadJobs::default();
    let mut started = Vec::new();
    let handles: Vec<(_, Option<u32>)> = pending.iter().map(|p| (p.clone(), None)).collect();
    jobs.pending(&handles, &ws, &mut |c| started.push(c));
    let job = match started.as_slice() {
        [Command::Read { job, .. }] => *job,
        other => panic!("{other:?}"),
    };
    let mut out = Vec::new();
    for reply in replies(job, csv, corrected) {
        jobs.reply(reply, &mut |c: Command<u32>| out.push(c));
    }
    (ws, out.pop().expect("the read ends"))
}

#[test]
fn a_read_streamed_in_chunks_ends_with_its_sighting_and_its_corrections_seen() {
    let (mut ws, done) = streamed(FILES[0].1, 4870.0);
    let Command::Done(p, read, Some(sighting)) = done else {
        panic!("the read ends with its sighting");
    };
    assert_eq!(sighting.len(), read.observations.len());
    assert_eq!(read.observations.to_vec()[1].value, Value::Number(4870.0));
    // Without the correction seen, observation 1's figure would be 4865.
    let dataset = Dataset::from_observations(vec![read.source.clone()], read.observations.clone());
    let catalog = Catalog::builtin();
    assert_eq!(
        derived(&dataset, &catalog, vec![Some(*sighting.clone())]),
        derived(&dataset, &catalog, Vec::new())
    );
    // The workspace's derivation takes it: the same findings as without.
    let mut without = ws.clone();
    assert!(ws.add_sighted_read(&p, (*read).clone(), Some(sighting)));
    assert!(without.add_read(&p, *read));
    ws.settle();
    without.settle();
    assert_eq!(ws.findings(), without.findings());
    assert!(ws.findings().iter().any(|f| f.rule == "conflict"));
}

#[test]
fn a_streamed_sighting_of_communes_and_the_agency_mixed_gives_what_seeing_gives() {
    let csv = "Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n\
               CBCC_XA,,2020,4864\nCBCC_XA,Xã A,2020,1\nCBCC_HUYEN,Xã A,2020,2\n\
               CBCC_XA,Xã B,2020,3\nCBCC_HUYEN,,2020,5\nPAPI_NHOM,Xã B,2020,Khá\n\
               CBCC_HUYEN,Xã B,2021,4\nCBCC_XA,,2021,4900\n";
    let (_, done) = streamed(csv, 7.0);
    let Command::Done(_, read, Some(sighting)) = done else {
        panic!("the read ends with its sighting");
    };
    let dataset = Dataset::from_observations(vec![read.source.clone()], read.observations.clone());
    let catalog = Catalog::builtin();
    let seen = derived(&dataset, &catalog, vec![Some(*sighting)]);
    assert_eq!(seen, derived(&dataset, &catalog, Vec::new()));
    let observations: Vec<ObservationRef> = dataset.observations().collect();
    assert_eq!(seen.2, [0, 4, 7].map(|i| observations[i].cell));
}
