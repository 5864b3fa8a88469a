//! "Did you mean": the catalogue code closest to a text the catalogue lacks.

use crate::catalog::Catalog;
use crate::fold::fold;

/// The catalogue code closest to `text` by code or name, when close enough to help.
pub fn did_you_mean(catalog: &Catalog, text: &str) -> Option<String> {
    Suggestions::new(catalog).closest(text)
}

/// A catalogue's codes and names folded once, for many "did you mean"s.
pub struct Suggestions<'c> {
    /// (folded code or name, code)
    candidates: Vec<(String, &'c str)>,
}

impl<'c> Suggestions<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        let candidates = (catalog.indicators.iter())
            .flat_map(|ind| [(fold(&ind.code), &*ind.code), (fold(&ind.name), &*ind.code)])
            .collect();
        Suggestions { candidates }
    }

    /// The code closest to `text`, when close enough to help.
    pub fn closest(&self, text: &str) -> Option<String> {
        let folded = fold(text);
        let mut best: Option<(f64, &str)> = None;
        for (candidate, code) in &self.candidates {
            let score = strsim::normalized_levenshtein(&folded, candidate);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, code));
            }
        }
        best.filter(|(s, _)| *s >= 0.6).map(|(_, c)| c.to_string())
    }
}
