//! The source's shape, read from the sources themselves: the core's crate
//! names no browser API; within each crate (the core, crates/core/src; the
//! page, src/) no two modules import each other (directly or around a
//! loop) — between files, and between the top-level modules and their
//! children — and no source file is over 600 lines. A `use` that closes a
//! loop fails here, naming the loop.
#![cfg(not(target_arch = "wasm32"))]
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// "ingest/xlsx/cells.rs" → ingest::xlsx::cells; a `mod.rs` is its folder;
/// the crate roots (lib.rs, main.rs) are the empty path.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments and its unit tests (which may
/// import what they like).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path named after `crate::`, `baocao::` or `super::` (braces
/// expanded), as absolute module paths.
fn named_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &code[at..];
        let (base, skip): (Vec<String>, usize) =
            if rest.starts_with("crate::") || rest.starts_with("baocao::") {
                (Vec::new(), rest.find("::").unwrap_or(0) + 2)
            } else if rest.starts_with("super::") {
                // Each `super` is one module up (a mod.rs is its folder's module).
                let mut base = module.to_vec();
                let mut skip = 0;
                while code[at + skip..].starts_with("super::") {
                    skip += "super::".len();
                    base.pop();
                }
                (base, skip)
            } else {
                at += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            };
        // Only at a word's start: `my_crate::` is not `crate::`.
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            at += 1;
            continue;
        }
        let tail = &code[at + skip..];
        let mut paths = Vec::new();
        expand(tail, base, &mut paths);
        out.extend(paths);
        at += skip;
    }
    out
}

/// Expands `a::b::{c, d::e}` at the start of `text` onto `base`.
fn expand(text: &str, base: Vec<String>, out: &mut Vec<Vec<String>>) {
    let word: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let rest = &text[word.len()..];
    if word.is_empty() {
        if let Some(inner) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        expand(inner[start..i].trim(), base.clone(), out);
                        return;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(inner[start..i].trim(), base.clone(), out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        }
        out.push(base);
        return;
    }
    let mut path = base;
    path.push(word);
    match rest.strip_prefix("::") {
        Some(more) => expand(more, path, out),
        None => out.push(path),
    }
}

/// The longest module that `path` starts with.
fn resolve(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
}

/// Groups of modules that reach each other (Tarjan's algorithm).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, (usize, usize)>,
        stack: Vec<&'a Vec<String>>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a Vec<String>) -> usize {
            let me = self.next;
            self.next += 1;
            self.index.insert(v, (me, me));
            self.stack.push(v);
            let mut low = me;
            for w in self.edges.get(v).into_iter().flatten() {
                match self.index.get(w) {
                    None => low = low.min(self.visit(w)),
                    Some(&(i, _)) if self.stack.contains(&w) => low = low.min(i),
                    Some(_) => {}
                }
            }
            if low == me {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    group.push(w.join("::"));
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
            low
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

fn related(a: &[String], b: &[String]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

#[test]
fn the_core_names_no_browser_api() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
    assert!(manifest.contains("[dependencies]"), "the core's Cargo.toml");
    for browser in ["web-sys", "js-sys", "wasm-bindgen", "yew", "gloo"] {
        assert!(!manifest.contains(browser), "the core names {browser}");
    }
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for browser in ["web_sys::", "js_sys::", "wasm_bindgen"] {
            assert!(
                !code(&text).contains(browser),
                "{} uses {browser}",
                file.display()
            );
        }
    }
}

#[test]
fn no_module_imports_itself_around_a_loop_and_no_file_is_too_long() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The core, then the page (whose `baocao::` paths lead out of it).
    for (src, at_least) in [(root.join("crates/core/src"), 50), (root.join("src"), 20)] {
        crate_shape(&src, at_least);
    }
}

fn crate_shape(src: &Path, at_least: usize) {
    let mut files = Vec::new();
    sources(src, &mut files);
    // The worker's own binary is a root of its own, a few lines long.
    files.retain(|f| !f.starts_with(src.join("bin")));
    let mut long = Vec::new();
    let mut parsed = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if text.lines().count() > MAX_LINES {
            long.push(format!(
                "{} ({} lines)",
                file.display(),
                text.lines().count()
            ));
        }
        let relative = file.strip_prefix(src).unwrap_or(file);
        parsed.push((module_of(relative), code(&text)));
    }
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
    let modules: BTreeSet<Vec<String>> = parsed.iter().map(|(m, ..)| m.clone()).collect();
    assert!(modules.len() > at_least, "{} modules found", modules.len());
    for depth in [usize::MAX, 1, 2] {
        let cut = |m: &[String]| m[..m.len().min(depth)].to_vec();
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (module, code) in &parsed {
            for path in named_paths(code, module) {
                let Some(target) = resolve(&path, &modules) else {
                    continue;
                };
                let (from, to) = (cut(module), cut(&target));
                if !related(&from, &to) {
                    edges.entry(from).or_default().insert(to);
                }
            }
        }
        let found = cycles(&edges);
        let level = match depth {
            usize::MAX => "between files".to_string(),
            _ => format!("between modules {depth} deep"),
        };
        assert!(found.is_empty(), "import cycles {level}: {found:?}");
    }
}

#[test]
fn a_loop_is_found() {
    let modules: BTreeSet<Vec<String>> = [vec!["a".to_string()], vec!["b".to_string()]].into();
    let paths = named_paths("use crate::{b::X, c};", &["a".into()]);
    assert_eq!(resolve(&paths[0], &modules), Some(vec!["b".to_string()]));
    let up = named_paths(
        "use super::super::b::Y;",
        &["a".into(), "x".into(), "y".into()],
    );
    assert_eq!(up, vec![vec!["a".to_string(), "b".into(), "Y".into()]]);
    let edges = BTreeMap::from([
        (
            vec!["a".to_string()],
            BTreeSet::from([vec!["b".to_string()]]),
        ),
        (
            vec!["b".to_string()],
            BTreeSet::from([vec!["a".to_string()]]),
        ),
    ]);
    assert_eq!(cycles(&edges), vec![vec!["a".to_string(), "b".into()]]);
}
