//! A map from cell texts, for the reader's caches.
//!
//! A big file repeats a few dozen codes and periods and a few thousand
//! entities a million times, and the reader looks each row's texts up in
//! small caches. With `str` keys every probe calls `memcmp`, which the
//! profile of a 1M-row read showed as its largest single cost. Texts of up
//! to 32 bytes (nearly every code, period and entity) are keyed instead by
//! four machine words, hashed and compared as integers; longer texts keep
//! their string.

use rustc_hash::FxHashMap;

/// A text of at most 32 bytes, as four words and its length (the length
/// tells "a" from "a\0").
#[derive(Clone, Copy, Debug, Default, Eq)]
pub struct ShortKey {
    words: [u64; 4],
    len: u8,
}

impl ShortKey {
    #[inline]
    pub fn new(text: &str) -> Option<ShortKey> {
        let bytes = text.as_bytes();
        if bytes.len() > 32 {
            return None;
        }
        // Words are loaded from the text itself, the last one byte by byte:
        // copying into a buffer first and loading from it stalls the CPU
        // (a store that cannot forward to a wider load), which profiling
        // showed as a tenth of a read.
        let mut words = [0u64; 4];
        for (word, chunk) in words.iter_mut().zip(bytes.chunks(8)) {
            *word = match <[u8; 8]>::try_from(chunk) {
                Ok(full) => u64::from_le_bytes(full),
                Err(_) => chunk.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b)),
            };
        }
        Some(ShortKey {
            words,
            len: bytes.len() as u8,
        })
    }
}

impl PartialEq for ShortKey {
    /// Word by word: the derived comparison is vectorised, and a vector
    /// load of a key just written word by word waits for the stores to
    /// land (the profile showed that wait as 6 % of a read).
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        let [a0, a1, a2, a3] = self.words;
        let [b0, b1, b2, b3] = other.words;
        ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3) | u64::from(self.len ^ other.len)) == 0
    }
}

impl std::hash::Hash for ShortKey {
    /// The words folded into one before hashing: one round of the hasher
    /// instead of five, for maps of a few dozen to a few thousand texts
    /// (`eq` still compares every word).
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let [a, b, c, d] = self.words;
        let folded = a ^ b.rotate_left(16) ^ c.rotate_left(32) ^ d.rotate_left(48);
        state.write_u64(folded ^ u64::from(self.len));
    }
}

/// Values by cell text.
pub struct TextMap<V> {
    short: FxHashMap<ShortKey, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for TextMap<V> {
    fn default() -> Self {
        TextMap {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        }
    }
}

impl<V> TextMap<V> {
    #[inline]
    pub fn get(&self, text: &str) -> Option<&V> {
        match ShortKey::new(text) {
            Some(key) => self.short.get(&key),
            None => self.long.get(text),
        }
    }

    pub fn insert(&mut self, text: &str, value: V) {
        match ShortKey::new(text) {
            Some(key) => self.short.insert(key, value),
            None => self.long.insert(text.into(), value),
        };
    }

    /// The value for `text`, made by `make` the first time.
    pub fn get_or_insert_with(&mut self, text: &str, make: impl FnOnce() -> V) -> &mut V {
        self.get_or_insert_keyed(ShortKey::new(text), text, make)
    }

    /// `get_or_insert_with`, with `key` already made from `text`.
    #[inline]
    pub fn get_or_insert_keyed(
        &mut self,
        key: Option<ShortKey>,
        text: &str,
        make: impl FnOnce() -> V,
    ) -> &mut V {
        match key {
            Some(key) => self.short.entry(key).or_insert_with(make),
            None => self.long.entry(text.into()).or_insert_with(make),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_texts_are_told_apart_exactly() {
        let mut map = TextMap::default();
        let long = "Tỷ lệ cán bộ, công chức cấp huyện có trình độ đại học";
        for (i, text) in [
            "",
            "a",
            "a\0",
            "ab",
            "Xã 00001",
            "x".repeat(32).as_str(),
            long,
        ]
        .into_iter()
        .enumerate()
        {
            map.insert(text, i);
        }
        assert_eq!(map.get(""), Some(&0));
        assert_eq!(map.get("a"), Some(&1));
        assert_eq!(map.get("a\0"), Some(&2));
        assert_eq!(map.get("ab"), Some(&3));
        assert_eq!(map.get("Xã 00001"), Some(&4));
        assert_eq!(map.get(&"x".repeat(32)), Some(&5));
        assert_eq!(map.get(long), Some(&6));
        assert_eq!(map.get("Xã 00002"), None);
        assert_eq!(map.get(&"x".repeat(33)), None);
        assert_eq!(*map.get_or_insert_with("new", || 7), 7);
        assert_eq!(*map.get_or_insert_with("new", || 8), 7);
        assert_eq!(ShortKey::new(&"y".repeat(33)), None);
    }
}
