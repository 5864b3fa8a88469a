//! A file as the user dropped it, and where its bytes are: in the workspace,
//! or kept by the host (the page keeps a large file's `File`, which its
//! worker reads, so the file is not copied into the page's memory too).

use crate::model::{new_file_id, FileId};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How many of the first bytes of a file kept elsewhere the workspace keeps: enough to
/// tell what the file is (`classify`, `is_workbook`).
pub const HEAD_BYTES: usize = 4096;

/// A file as the user dropped it, with the id it was given then.
#[derive(Clone, Debug, PartialEq)]
pub struct InputFile {
    pub id: FileId,
    pub name: String,
    pub content: Content,
}

/// A file's bytes, as the workspace holds them.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// In memory.
    Here(Arc<Vec<u8>>),
    /// Kept by the host, which hands them to whoever reads the file.
    Elsewhere(Elsewhere),
}

/// What the workspace knows of a file the host keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elsewhere {
    pub size: u64,
    /// The first [`HEAD_BYTES`] bytes (fewer if the file is shorter).
    pub head: Arc<Vec<u8>>,
    /// The SHA-256 of the whole file, once the host has given it
    /// ([`super::Workspace::set_digest`]).
    pub digest: Option<[u8; 32]>,
}

impl Elsewhere {
    /// A file of `size` bytes whose first bytes are `head` (cut to [`HEAD_BYTES`]).
    pub fn new(size: u64, head: &[u8]) -> Elsewhere {
        Elsewhere {
            size,
            head: Arc::new(head[..head.len().min(HEAD_BYTES)].to_vec()),
            digest: None,
        }
    }
}

/// A file's SHA-256 worked out a slice at a time, by a host that keeps it.
#[derive(Default)]
pub struct Digesting(Sha256);

impl Digesting {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

impl InputFile {
    /// A file just come in, with an id of its own.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile::with(name, Content::Here(Arc::new(bytes.into())))
    }

    /// A file just come in whose bytes are `content`.
    pub fn with(name: impl Into<String>, content: Content) -> Self {
        InputFile {
            id: new_file_id(),
            name: name.into(),
            content,
        }
    }

    /// The bytes, when the workspace holds them.
    pub fn bytes(&self) -> Option<&Arc<Vec<u8>>> {
        match &self.content {
            Content::Here(bytes) => Some(bytes),
            Content::Elsewhere(_) => None,
        }
    }

    pub fn size(&self) -> u64 {
        match &self.content {
            Content::Here(bytes) => bytes.len() as u64,
            Content::Elsewhere(e) => e.size,
        }
    }

    /// The first bytes, at least [`HEAD_BYTES`] of them when the file has as many.
    pub fn head(&self) -> &[u8] {
        match &self.content {
            Content::Here(bytes) => bytes,
            Content::Elsewhere(e) => &e.head,
        }
    }

    /// The SHA-256 of the bytes: worked out when they are here, else the
    /// one the host gave, if it has.
    pub fn digest(&self) -> Option<[u8; 32]> {
        match &self.content {
            Content::Here(bytes) => Some(Sha256::digest(bytes.as_slice()).into()),
            Content::Elsewhere(e) => e.digest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_kept_elsewhere_knows_its_size_and_head_and_its_digest_once_given() {
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let here = InputFile::new("a.csv", bytes.clone());
        let mut kept = InputFile::with("a.csv", Content::Elsewhere(Elsewhere::new(10_000, &bytes)));
        assert_eq!(kept.size(), here.size());
        assert_eq!(kept.head(), &bytes[..HEAD_BYTES]);
        assert!(kept.bytes().is_none());
        assert_eq!(kept.digest(), None);
        let mut digesting = Digesting::default();
        bytes.chunks(999).for_each(|slice| digesting.update(slice));
        if let Content::Elsewhere(h) = &mut kept.content {
            h.digest = Some(digesting.finish());
        }
        assert_eq!(kept.digest(), here.digest());
    }
}
