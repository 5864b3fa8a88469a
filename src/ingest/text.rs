//! Turning bytes into text: byte-order marks, UTF-8, and a legacy fallback.
//! Legacy Vietnamese byte encodings (TCVN3, VNI) come with issue #3; until
//! then bytes that are not UTF-8 are read as Windows-1258 and said so.

use unicode_normalization::UnicodeNormalization;

/// Text decoded from a file, with the name of the encoding used.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// True when some bytes could not be decoded and were replaced.
    pub had_errors: bool,
}

/// Decodes `bytes`, honouring a BOM, and normalises to NFC.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (encoding, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None if std::str::from_utf8(bytes).is_ok() => (encoding_rs::UTF_8, bytes),
        None => (encoding_rs::WINDOWS_1258, bytes),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    // Windows-1258 decodes to combining marks; every comparison assumes NFC.
    let text: String = if text.is_ascii() {
        text.into_owned()
    } else {
        text.nfc().collect()
    };
    Decoded {
        text,
        encoding: encoding.name(),
        had_errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("Mã".as_bytes()).text, "Mã");
        assert_eq!(decode(b"\xEF\xBB\xBFM\xC3\xA3").text, "Mã");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Mã".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = decode(&le);
        assert_eq!((d.text.as_str(), d.encoding), ("Mã", "UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        be.extend("Mã".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be).text, "Mã");
    }

    #[test]
    fn windows_1258_is_normalised_to_nfc() {
        // "Mã" in Windows-1258: M, a, combining tilde (0xDE).
        let d = decode(b"Ma\xDE");
        assert_eq!(d.encoding, "windows-1258");
        assert_eq!(d.text, "Mã");
    }
}
