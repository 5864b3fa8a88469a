//! Findings kept per rule within a cap. A file where every row breaks a rule
//! would otherwise hold millions of findings (and run the page out of
//! memory): the first [`KEPT_PER_RULE`] of each rule are kept whole, the
//! rest are counted exactly and stand as one summary finding whose `more`
//! says how many it stands for.

use crate::model::{FileId, Finding, Severity};
use crate::vn::format_number;
use rustc_hash::FxHashMap;

/// How many findings of one rule are kept whole.
pub const KEPT_PER_RULE: usize = 1_000;

/// Counts findings per rule and says which to keep.
#[derive(Debug, Default)]
pub struct Cap {
    seen: FxHashMap<String, usize>,
    /// The file all of a rule's findings are in, if they are all in one
    /// (its summary then names it, and counts with that file's).
    files: FxHashMap<String, Option<FileId>>,
    /// Rules in order of their first finding, with its severity.
    order: Vec<(String, Severity)>,
    /// The file a reader's summaries are about.
    file: Option<FileId>,
}

impl Cap {
    /// A cap for one file's reading: its summaries name the file.
    pub fn for_file(file: FileId) -> Cap {
        Cap {
            file: Some(file),
            ..Cap::default()
        }
    }

    /// Whether `rule` has kept as many findings as the cap allows: a finding
    /// costly to word need not be worded past it.
    pub fn is_full(&self, rule: &str) -> bool {
        self.seen.get(rule).is_some_and(|&n| n >= KEPT_PER_RULE)
    }

    /// Counts `finding`; true while its rule has kept fewer than the cap.
    pub fn admit(&mut self, finding: &Finding) -> bool {
        self.note_files(&finding.rule, std::iter::once(finding));
        self.count(&finding.rule, finding.severity, 1) <= KEPT_PER_RULE
    }

    /// Notes the files of some of `rule`'s findings.
    fn note_files<'f>(&mut self, rule: &str, findings: impl Iterator<Item = &'f Finding>) {
        for f in findings {
            match self.files.get_mut(rule) {
                Some(file) => {
                    if *file != f.file {
                        *file = None;
                    }
                }
                None => {
                    self.files.insert(rule.to_string(), f.file);
                }
            }
        }
    }

    /// Counts `n` findings of `rule` left out elsewhere (kept lists trimmed
    /// to the cap); returns the rule's count.
    fn count(&mut self, rule: &str, severity: Severity, n: usize) -> usize {
        match self.seen.get_mut(rule) {
            Some(seen) => {
                *seen += n;
                *seen
            }
            None => {
                self.seen.insert(rule.to_string(), n);
                self.order.push((rule.to_string(), severity));
                n
            }
        }
    }

    /// How many findings each rule had, kept or not, in order of the first.
    pub fn counts(&self) -> Vec<(String, Severity, usize)> {
        self.order
            .iter()
            .map(|(rule, severity)| {
                let n = self.seen.get(rule).copied().unwrap_or(0);
                (rule.clone(), *severity, n)
            })
            .collect()
    }

    /// Counts `n` findings of `rule` left out elsewhere (by another reader
    /// of the same file, within its own cap).
    pub fn left_out(&mut self, rule: &str, severity: Severity, n: usize) {
        if n > 0 {
            self.count(rule, severity, n);
        }
    }

    /// One finding per rule over the cap, standing for those left out.
    pub fn summaries(&self) -> Vec<Finding> {
        self.order
            .iter()
            .filter_map(|(rule, severity)| {
                let more = self.seen.get(rule)?.checked_sub(KEPT_PER_RULE)?;
                let file = self.file.or(self.files.get(rule).copied().flatten());
                (more > 0).then(|| summary(rule, *severity, more, self.file.is_some(), file))
            })
            .collect()
    }
}

/// `read`: the summary of a reader's findings (else the checks').
fn summary(
    rule: &str,
    severity: Severity,
    more: usize,
    read: bool,
    file: Option<FileId>,
) -> Finding {
    let (vi, en) = match severity {
        Severity::Error => ("lỗi", "errors"),
        Severity::Warning => ("cảnh báo", "warnings"),
        Severity::Info => ("ghi chú", "notes"),
    };
    // The checks are run again for the CSV download, which lists all of
    // theirs; a reader's are counted as the file is read, and only counted.
    let (where_vi, where_en) = if read {
        (
            "sửa các lỗi đã nêu rồi thả lại tệp để xem tiếp",
            "mend those shown and drop the file again to see the rest",
        )
    } else {
        (
            "danh sách CSV tải về có đủ",
            "the CSV download lists them all",
        )
    };
    let more_vi = format_number(more as f64, 0);
    // The summary stands for `more` findings besides those kept; it counts as
    // them, not as one.
    let mut f = Finding::new(
        severity,
        rule,
        format!("… và {more_vi} {vi} nữa cùng quy tắc ({where_vi})"),
        format!("… and {more} more {en} of the same rule ({where_en})"),
    );
    f.file = file;
    f.more = more.saturating_sub(1);
    f
}

/// Where findings go: a list kept within the cap, or, to list every one
/// (the findings download), handed on one by one as they are found and
/// kept nowhere.
#[derive(Default)]
pub struct Sink<'a> {
    list: Vec<Finding>,
    cap: Cap,
    each: Option<Box<dyn FnMut(Finding) + 'a>>,
}

impl<'a> Sink<'a> {
    /// A sink that hands every finding to `each` and keeps none.
    pub fn streaming(each: impl FnMut(Finding) + 'a) -> Sink<'a> {
        Sink {
            each: Some(Box::new(each)),
            ..Sink::default()
        }
    }

    /// Keeps `finding` unless its rule is over the cap (then it is counted).
    pub fn push(&mut self, finding: Finding) {
        if let Some(each) = &mut self.each {
            each(finding);
        } else if self.cap.admit(&finding) {
            self.list.push(finding);
        }
    }

    /// Brings a rule's growing list (`u32`: each finding's place) within the
    /// cap ([`trim`]); a streaming sink takes the list as it is instead.
    pub fn settle(&mut self, list: &mut Vec<(u32, Finding)>, done: bool) {
        match &mut self.each {
            Some(each) => {
                list.sort_by_key(|(i, _)| *i);
                list.drain(..).for_each(|(_, f)| each(f));
            }
            None => trim(list, &mut self.cap, done),
        }
    }

    /// Adds a rule's list already settled (see [`Sink::settle`]).
    pub fn extend_settled(&mut self, list: Vec<(u32, Finding)>) {
        if let Some(each) = &mut self.each {
            list.into_iter().for_each(|(_, f)| each(f));
            return;
        }
        if let Some((_, first)) = list.first() {
            let (rule, severity) = (first.rule.clone(), first.severity);
            self.cap.note_files(&rule, list.iter().map(|(_, f)| f));
            self.cap.count(&rule, severity, list.len());
        }
        self.list.extend(list.into_iter().map(|(_, f)| f));
    }

    /// The findings kept, then one summary per rule over the cap.
    pub fn finish(mut self) -> Vec<Finding> {
        self.list.extend(self.cap.summaries());
        self.list
    }
}

/// Keeps the first [`KEPT_PER_RULE`] of a rule's findings by their place
/// (`u32`, the head figure's number), counting the rest in `cap`. Called as
/// the list grows, it keeps it within twice the cap.
pub fn trim(list: &mut Vec<(u32, Finding)>, cap: &mut Cap, done: bool) {
    if list.len() < 2 * KEPT_PER_RULE && !done {
        return;
    }
    list.sort_by_key(|(i, _)| *i);
    if list.len() > KEPT_PER_RULE {
        if let Some((_, first)) = list.first() {
            let (rule, severity) = (first.rule.clone(), first.severity);
            cap.note_files(&rule, list[KEPT_PER_RULE..].iter().map(|(_, f)| f));
            cap.count(&rule, severity, list.len() - KEPT_PER_RULE);
        }
        list.truncate(KEPT_PER_RULE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str) -> Finding {
        Finding::new(Severity::Error, rule, String::new(), String::new())
    }

    #[test]
    fn the_first_of_each_rule_are_kept_and_the_rest_counted() {
        let mut cap = Cap::default();
        let kept = (0..KEPT_PER_RULE + 500)
            .filter(|_| cap.admit(&finding("a")))
            .count();
        assert_eq!(kept, KEPT_PER_RULE);
        assert!(cap.admit(&finding("b")));
        let summaries = cap.summaries();
        assert_eq!(summaries.len(), 1);
        assert_eq!(summaries[0].rule, "a");
        // Itself and 499 more: the 500 left out.
        assert_eq!(summaries[0].more + 1, 500);
        assert!(summaries[0].message_vi.contains("500 lỗi nữa"));
    }

    #[test]
    fn trimmed_lists_keep_the_first_by_place() {
        let mut cap = Cap::default();
        let mut list: Vec<(u32, Finding)> = (0..3 * KEPT_PER_RULE as u32)
            .rev()
            .map(|i| (i, finding("r")))
            .collect();
        trim(&mut list, &mut cap, true);
        assert_eq!(list.len(), KEPT_PER_RULE);
        assert_eq!(list.first().map(|(i, _)| *i), Some(0));
        // The kept ones are counted when they are pushed elsewhere; only
        // those cut are counted here.
        assert_eq!(cap.seen.get("r"), Some(&(2 * KEPT_PER_RULE)));
    }
}
