//! Turning bytes into text. A byte-order mark wins; then UTF-8; otherwise the
//! legacy Vietnamese encodings are tried — Windows-1258, TCVN3 (ABC) and VNI
//! — and the one whose output reads most like Vietnamese is chosen. The user
//! can override the choice. Decoded legacy and UTF-16 text is NFC; valid
//! UTF-8 is borrowed as it is (a 40 MB file is not scanned twice), and the
//! shaper brings each distinct label it keeps to NFC with [`nfc`].

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// The encodings a file may be read as.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum TextEncoding {
    /// Decide from the bytes.
    #[default]
    Auto,
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1258,
    Tcvn3,
    Vni,
}

impl TextEncoding {
    pub const CHOICES: [TextEncoding; 7] = [
        TextEncoding::Auto,
        TextEncoding::Utf8,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Windows1258,
        TextEncoding::Tcvn3,
        TextEncoding::Vni,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Auto => "Tự nhận",
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1258 => "Windows-1258",
            TextEncoding::Tcvn3 => "TCVN3 (ABC)",
            TextEncoding::Vni => "VNI",
        }
    }

    pub fn from_label(label: &str) -> Option<TextEncoding> {
        Self::CHOICES.into_iter().find(|e| e.label() == label)
    }
}

impl std::fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Text decoded from a file, with the encoding used. Valid UTF-8 (most
/// files) is borrowed, not copied, and not normalised.
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: TextEncoding,
    /// True when some bytes could not be decoded and were replaced.
    pub had_errors: bool,
}

/// Decodes `bytes` as `choice` (or as detected, for `Auto`); what had to be
/// converted is normalised to NFC.
pub fn decode(bytes: &[u8], choice: TextEncoding) -> Decoded<'_> {
    // The common case, valid UTF-8 without a BOM, is validated once, here.
    if choice == TextEncoding::Auto && !bytes.starts_with(b"\xEF\xBB\xBF") {
        if let Some(text) = utf8(bytes) {
            return normalised(Cow::Borrowed(text), TextEncoding::Utf8, false);
        }
    }
    let (encoding, body) = match choice {
        TextEncoding::Auto => detect(bytes),
        TextEncoding::Utf8 => (choice, bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)),
        TextEncoding::Utf16Le => (choice, bytes.strip_prefix(b"\xFF\xFE").unwrap_or(bytes)),
        TextEncoding::Utf16Be => (choice, bytes.strip_prefix(b"\xFE\xFF").unwrap_or(bytes)),
        other => (other, bytes),
    };
    let (text, had_errors) = decode_as(body, encoding);
    normalised(text, encoding, had_errors)
}

/// `bytes` as text when they are valid UTF-8. simdutf8 checks a
/// Vietnamese file (a multi-byte letter in most lines) several times
/// faster than `std`, whose fast path is for ASCII runs.
fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

fn normalised(text: Cow<'_, str>, encoding: TextEncoding, had_errors: bool) -> Decoded<'_> {
    let text = match text {
        // Cells are normalised where they become labels (`nfc`).
        Cow::Borrowed(text) => Cow::Borrowed(text),
        Cow::Owned(text) if is_nfc(&text) => Cow::Owned(text),
        Cow::Owned(text) => Cow::Owned(text.nfc().collect()),
    };
    Decoded {
        text,
        encoding,
        had_errors,
    }
}

fn detect(bytes: &[u8]) -> (TextEncoding, &[u8]) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (TextEncoding::Utf8, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return (TextEncoding::Utf16Le, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return (TextEncoding::Utf16Be, rest);
    }
    if utf8(bytes).is_some() || mostly_utf8(bytes) {
        return (TextEncoding::Utf8, bytes);
    }
    // Judge on a sample: the first 64 KiB say enough about a file's encoding.
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let best = [
        TextEncoding::Windows1258,
        TextEncoding::Tcvn3,
        TextEncoding::Vni,
    ]
    .into_iter()
    .map(|e| {
        (
            vietnamese_score(&decode_as(sample, e).0.nfc().collect::<String>()),
            e,
        )
    })
    .fold((i64::MIN, TextEncoding::Windows1258), |best, c| {
        if c.0 > best.0 {
            c
        } else {
            best
        }
    });
    (best.1, bytes)
}

/// UTF-8 with a few stray bytes (a file pasted together from two sources):
/// legacy encodings almost never form valid multi-byte UTF-8 by accident, so
/// many valid sequences and few invalid bytes mean UTF-8 with damage.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes[..bytes.len().min(64 * 1024)].utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    valid > 4 * invalid
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> (Cow<'static, str>, bool) {
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    let odd = !bytes.len().is_multiple_of(2);
    let mut had_errors = odd;
    let mut text: String = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                had_errors = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if odd {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    (Cow::Owned(text), had_errors)
}

/// Windows-1258, bytes 0x80–0xFF, as the WHATWG Encoding Standard maps them
/// (generated from encoding_rs; see the test `windows_1258_matches_encoding_rs`).
/// 0xCC, 0xD2, 0xDE, 0xEC and 0xF2 are combining tone marks: NFC joins them.
#[rustfmt::skip]
const WINDOWS_1258_HIGH: [char; 128] = [
    '\u{20ac}', '\u{0081}', '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02c6}', '\u{2030}', '\u{008a}', '\u{2039}', '\u{0152}', '\u{008d}', '\u{008e}', '\u{008f}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02dc}', '\u{2122}', '\u{009a}', '\u{203a}', '\u{0153}', '\u{009d}', '\u{009e}', '\u{0178}',
    '\u{00a0}', '\u{00a1}', '\u{00a2}', '\u{00a3}', '\u{00a4}', '\u{00a5}', '\u{00a6}', '\u{00a7}', '\u{00a8}', '\u{00a9}', '\u{00aa}', '\u{00ab}', '\u{00ac}', '\u{00ad}', '\u{00ae}', '\u{00af}',
    '\u{00b0}', '\u{00b1}', '\u{00b2}', '\u{00b3}', '\u{00b4}', '\u{00b5}', '\u{00b6}', '\u{00b7}', '\u{00b8}', '\u{00b9}', '\u{00ba}', '\u{00bb}', '\u{00bc}', '\u{00bd}', '\u{00be}', '\u{00bf}',
    '\u{00c0}', '\u{00c1}', '\u{00c2}', '\u{0102}', '\u{00c4}', '\u{00c5}', '\u{00c6}', '\u{00c7}', '\u{00c8}', '\u{00c9}', '\u{00ca}', '\u{00cb}', '\u{0300}', '\u{00cd}', '\u{00ce}', '\u{00cf}',
    '\u{0110}', '\u{00d1}', '\u{0309}', '\u{00d3}', '\u{00d4}', '\u{01a0}', '\u{00d6}', '\u{00d7}', '\u{00d8}', '\u{00d9}', '\u{00da}', '\u{00db}', '\u{00dc}', '\u{01af}', '\u{0303}', '\u{00df}',
    '\u{00e0}', '\u{00e1}', '\u{00e2}', '\u{0103}', '\u{00e4}', '\u{00e5}', '\u{00e6}', '\u{00e7}', '\u{00e8}', '\u{00e9}', '\u{00ea}', '\u{00eb}', '\u{0301}', '\u{00ed}', '\u{00ee}', '\u{00ef}',
    '\u{0111}', '\u{00f1}', '\u{0323}', '\u{00f3}', '\u{00f4}', '\u{01a1}', '\u{00f6}', '\u{00f7}', '\u{00f8}', '\u{00f9}', '\u{00fa}', '\u{00fb}', '\u{00fc}', '\u{01b0}', '\u{20ab}', '\u{00ff}',
];

/// `text` in NFC; borrowed when it is already (the quick check says so).
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Whether `text` is in NFC, by the quick check. Only non-ASCII characters
/// are fed to it, and all-ASCII 64-byte blocks are skipped whole: ASCII is
/// NFC and composes with nothing before it, so leaving it out can only make
/// the answer stricter — a needless normalisation, never a text left
/// unnormalised.
fn is_nfc(text: &str) -> bool {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let non_ascii = bytes
        .chunks(BLOCK)
        .enumerate()
        .filter(|(_, block)| !block.is_ascii())
        .flat_map(|(k, block)| {
            // A character starts at each byte that is not a continuation byte.
            (0..block.len())
                .filter(move |&i| block[i] >= 0xC0)
                .filter_map(move |i| text.get(k * BLOCK + i..)?.chars().next())
        });
    unicode_normalization::is_nfc_quick(non_ascii) == unicode_normalization::IsNormalized::Yes
}

/// Decodes `bytes`, saying whether some had to be replaced (U+FFFD).
///
/// Why not encoding_rs here: its one decoding entry point dispatches over
/// every encoding it knows, which links all its decoders and their CJK
/// tables into the page's wasm (tens of KB gzipped) for the three encodings
/// the page needs. The standard library decodes UTF-8 and UTF-16, and
/// Windows-1258 is one table below, checked against encoding_rs by a native
/// test (encoding_rs stays a dev-dependency for that).
fn decode_as(bytes: &[u8], encoding: TextEncoding) -> (Cow<'_, str>, bool) {
    match encoding {
        TextEncoding::Auto | TextEncoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => (Cow::Borrowed(text), false),
            Err(_) => (String::from_utf8_lossy(bytes), true),
        },
        TextEncoding::Utf16Le => utf16(bytes, u16::from_le_bytes),
        TextEncoding::Utf16Be => utf16(bytes, u16::from_be_bytes),
        TextEncoding::Windows1258 => (
            Cow::Owned(
                bytes
                    .iter()
                    .map(|&b| match b {
                        0..0x80 => char::from(b),
                        _ => WINDOWS_1258_HIGH[usize::from(b - 0x80)],
                    })
                    .collect(),
            ),
            false,
        ),
        TextEncoding::Tcvn3 => (
            Cow::Owned(bytes.iter().map(|&b| tcvn3_char(b)).collect()),
            false,
        ),
        TextEncoding::Vni => (Cow::Owned(decode_vni(bytes)), false),
    }
}

const VIETNAMESE_LETTERS: &str =
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ\
ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";

/// How much `text` reads like Vietnamese: every word with a non-ASCII
/// letter scores +2 if it is a well-formed Vietnamese syllable and −1 if not,
/// and every non-ASCII character that is no Vietnamese letter costs 3 (the
/// debris of a wrong guess).
fn vietnamese_score(text: &str) -> i64 {
    let debris: i64 = text
        .chars()
        .filter(|c| !c.is_ascii() && !VIETNAMESE_LETTERS.contains(*c) && !c.is_whitespace())
        .count() as i64;
    let words: i64 = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_ascii())
        .map(|w| if is_syllable(w) { 2 } else { -1 })
        .sum();
    words - 3 * debris
}

const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];
const CODAS: [&str; 8] = ["ch", "ng", "nh", "c", "m", "n", "p", "t"];
const NUCLEI: [&str; 50] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "ưa", "ưi", "ươ", "ưu", "uy", "yê", "iêu", "oai", "oay", "uây", "uôi", "ươi",
    "ươu", "uyê",
];

/// Nuclei that end in a glide (or are ia/ua/ưa) take no final consonant.
const OPEN_ONLY: [&str; 26] = [
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ui", "ưi", "ưu",
    "ưa", "ua", "oai", "oay", "uây", "uôi", "ươi", "ươu", "iêu", "yêu",
];

/// A word is a Vietnamese syllable: onset? nucleus coda?, one tone at most.
fn is_syllable(word: &str) -> bool {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let decomposed: Vec<char> = word.to_lowercase().nfd().collect();
    if decomposed.iter().filter(|c| TONES.contains(c)).count() > 1 {
        return false;
    }
    let base: String = decomposed
        .into_iter()
        .filter(|c| !TONES.contains(c))
        .nfc()
        .collect();
    let rest = ONSETS
        .iter()
        .find_map(|o| base.strip_prefix(o))
        .unwrap_or(&base);
    // "gi" and "qu" may leave the nucleus to the letter after them.
    let candidates = [
        rest,
        base.strip_prefix('g').unwrap_or(rest),
        base.strip_prefix('q').unwrap_or(rest),
    ];
    candidates.iter().any(|r| {
        match CODAS
            .iter()
            .find_map(|c| r.strip_suffix(c))
            .filter(|n| !n.is_empty())
        {
            Some(nucleus) => NUCLEI.contains(&nucleus) && !OPEN_ONLY.contains(&nucleus),
            None => NUCLEI.contains(r),
        }
    })
}

/// TCVN3 (TCVN 5712:1993, the ".VnTime" fonts): ASCII as is, Vietnamese
/// letters in 0xA1–0xFE. Capital fonts reuse the small letters' bytes, so
/// toned capitals read as small letters: the bytes cannot tell them apart.
fn tcvn3_char(b: u8) -> char {
    const HIGH: [&str; 6] = [
        // 0xA0–0xAF
        "\u{a0}ĂÂÊÔƠƯĐăâêôơưđ\u{af}",
        // 0xB0–0xBF
        "°±²³´àảãáạ\u{ba}ằẳẵắ\u{bf}",
        // 0xC0–0xCF
        "ÀÁÂÃÄÅặầẩẫấậèÍẻẽ",
        // 0xD0–0xDF
        "éẹềểễếệìỉÙÚÛĩíịò",
        // 0xE0–0xEF
        "àỏõóọồổỗốộờởỡớợù",
        // 0xF0–0xFF
        "ðủũúụừửữứựỳỷỹýỵÿ",
    ];
    if b < 0xA0 {
        return char::from(b);
    }
    let row = HIGH[usize::from((b - 0xA0) >> 4)];
    row.chars().nth(usize::from(b & 0x0F)).unwrap_or('\u{fffd}')
}

/// VNI (VNI-Windows fonts): a base letter followed by mark bytes. Decoded by
/// turning marks into combining characters; NFC then composes them.
fn decode_vni(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 4);
    let mut prev_base: Option<char> = None;
    for &b in bytes {
        // Windows-1252 and Latin-1 agree on 0xA0–0xFF, where every VNI byte lives.
        let c = char::from(b);
        let lower = c.to_lowercase().next().unwrap_or(c);
        let after_vowel =
            prev_base.is_some_and(|p| "aeiouyơư".contains(p.to_lowercase().next().unwrap_or(p)));
        let after = |set: &str| {
            prev_base.is_some_and(|p| set.contains(p.to_lowercase().next().unwrap_or(p)))
        };
        let marks: Option<&str> = match lower {
            'ø' if after_vowel => Some("\u{300}"),
            'ù' if after_vowel => Some("\u{301}"),
            'û' if after_vowel => Some("\u{309}"),
            'õ' if after_vowel => Some("\u{303}"),
            'ï' if after_vowel => Some("\u{323}"),
            'â' if after("aeo") => Some("\u{302}"),
            'á' if after("aeo") => Some("\u{302}\u{301}"),
            'à' if after("aeo") => Some("\u{302}\u{300}"),
            'å' if after("aeo") => Some("\u{302}\u{309}"),
            'ã' if after("aeo") => Some("\u{302}\u{303}"),
            'ä' if after("aeo") => Some("\u{302}\u{323}"),
            'ê' if after("a") => Some("\u{306}"),
            'é' if after("a") => Some("\u{306}\u{301}"),
            'è' if after("a") => Some("\u{306}\u{300}"),
            'ú' if after("a") => Some("\u{306}\u{309}"),
            'ü' if after("a") => Some("\u{306}\u{303}"),
            'ë' if after("a") => Some("\u{306}\u{323}"),
            _ => None,
        };
        if let Some(m) = marks {
            out.push_str(m);
            continue;
        }
        let upper = c.is_uppercase();
        let letter = match lower {
            'ñ' => Some('đ'),
            'ô' => Some('ơ'),
            'ö' => Some('ư'),
            'ó' => Some('ĩ'),
            'æ' => Some('ỉ'),
            'ò' => Some('ị'),
            'î' => Some('ỵ'),
            _ => None,
        };
        let c = match letter {
            Some(l) if upper => l.to_uppercase().next().unwrap_or(l),
            Some(l) => l,
            None => c,
        };
        out.push(c);
        prev_base = c.is_alphabetic().then_some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(bytes: &[u8]) -> Decoded<'_> {
        decode(bytes, TextEncoding::Auto)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(auto("Mã".as_bytes()).text, "Mã");
        assert_eq!(auto(b"\xEF\xBB\xBFM\xC3\xA3").text, "Mã");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Mã".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = auto(&le);
        assert_eq!((&*d.text, d.encoding), ("Mã", TextEncoding::Utf16Le));
        let mut be = vec![0xFE, 0xFF];
        be.extend("Mã".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(auto(&be).text, "Mã");
    }

    #[test]
    fn windows_1258_is_detected_and_normalised_to_nfc() {
        // "Tiếng Việt": ê = 0xEA, acute = 0xEC (combining), dot below = 0xF2.
        let d = auto(b"Ti\xEA\xECng Vi\xEA\xF2t, s\xF4\xEC li\xEA\xF2u");
        assert_eq!(d.encoding, TextEncoding::Windows1258);
        assert_eq!(d.text, "Tiếng Việt, số liệu");
    }

    #[test]
    fn tcvn3_is_detected() {
        // "Tiếng Việt rất hay; Bảo Thắng; Mường Khương" in TCVN3.
        let d = auto(b"Ti\xD5ng Vi\xD6t r\xCAt hay; B\xB6o Th\xBEng; M\xAD\xEAng Kh\xAD\xACng");
        assert_eq!(d.encoding, TextEncoding::Tcvn3);
        assert_eq!(d.text, "Tiếng Việt rất hay; Bảo Thắng; Mường Khương");
    }

    #[test]
    fn vni_is_detected() {
        // "Tiếng Việt rất hay; Xin chào các bạn; Đơn vị tính" in VNI.
        let d = auto(b"Tie\xE1ng Vie\xE4t ra\xE1t hay; Xin cha\xF8o ca\xF9c ba\xEFn; \xD1\xF4n v\xF2 t\xEDnh");
        assert_eq!(d.encoding, TextEncoding::Vni);
        assert_eq!(d.text, "Tiếng Việt rất hay; Xin chào các bạn; Đơn vị tính");
    }

    #[test]
    fn vni_breve_horn_single_bytes_and_capitals() {
        let vni = |b: &[u8]| decode(b, TextEncoding::Vni).text.into_owned();
        assert_eq!(vni(b"tha\xE9ng"), "thắng");
        assert_eq!(vni(b"th\xF6\xF4\xF8ng"), "thường");
        assert_eq!(vni(b"n\xF6\xF4\xF9c"), "nước");
        assert_eq!(vni(b"ca\xEBp"), "cặp");
        assert_eq!(vni(b"ky\xF8; ch\xE6; m\xEE"), "kỳ; chỉ; mỵ");
        assert_eq!(vni(b"CA\xD9C; \xD1\xD6\xD4\xD8NG"), "CÁC; ĐƯỜNG");
    }

    #[test]
    fn syllables() {
        for w in [
            "tiếng",
            "việt",
            "nghiêng",
            "người",
            "khuyến",
            "gì",
            "quả",
            "đơn",
            "thường",
            "chỉ",
            "oẳng",
        ] {
            assert!(is_syllable(w), "{w}");
        }
        for w in ["tieỏng", "tiờỡng", "raỏt", "bảoá", "xyz"] {
            assert!(!is_syllable(w), "{w}");
        }
    }

    #[test]
    fn the_user_can_override_the_choice() {
        let d = decode(b"B\xB6o", TextEncoding::Windows1258);
        assert_eq!(d.encoding, TextEncoding::Windows1258);
        assert_eq!(decode(b"B\xB6o", TextEncoding::Tcvn3).text, "Bảo");
    }

    #[test]
    fn the_nfc_check_sees_every_block_and_every_split_character() {
        assert!(is_nfc("plain ASCII"));
        assert!(is_nfc("Bắc Giang, Hà Nội"));
        // Decomposed "ắ" (a + breve + acute) after ASCII, and across a 64-byte edge.
        assert!(!is_nfc("Ba\u{306}\u{301}c"));
        for pad in 60..68 {
            let text = format!("{}Ba\u{306}\u{301}c", "x".repeat(pad));
            assert!(!is_nfc(&text), "pad {pad}");
            let text = format!("{}Bắc", "x".repeat(pad));
            assert!(is_nfc(&text), "pad {pad}");
        }
        // UTF-8 is borrowed as it is; `nfc` composes what is kept.
        let decoded = decode("xx Ba\u{306}\u{301}c".as_bytes(), TextEncoding::Auto);
        assert_eq!(decoded.text, "xx Ba\u{306}\u{301}c");
        assert_eq!(nfc(&decoded.text), "xx Bắc");
        assert!(matches!(nfc("Bắc Giang"), Cow::Borrowed(_)));
    }

    // encoding_rs is a native dev-dependency only.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn windows_1258_matches_encoding_rs() {
        let every: Vec<u8> = (0..=255).collect();
        let (ours, _) = decode_as(&every, TextEncoding::Windows1258);
        let (theirs, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(&every);
        assert_eq!(ours, theirs);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn utf16_matches_encoding_rs_also_when_damaged() {
        let text = "Mã chỉ tiêu;Kỳ\nBắc Giang 𝔸\n";
        for (encoding, theirs) in [
            (TextEncoding::Utf16Le, encoding_rs::UTF_16LE),
            (TextEncoding::Utf16Be, encoding_rs::UTF_16BE),
        ] {
            let mut bytes: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| match encoding {
                    TextEncoding::Utf16Le => u.to_le_bytes(),
                    _ => u.to_be_bytes(),
                })
                .collect();
            assert_eq!(decode_as(&bytes, encoding), (Cow::Borrowed(text), false));
            // A lone surrogate and an odd last byte.
            bytes.splice(0..0, [0xD8, 0xD8]);
            bytes.push(0x41);
            let (ours, errors) = decode_as(&bytes, encoding);
            let (expected, _, expected_errors) = theirs
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .map_or_else(
                    || {
                        let (t, e) = theirs.decode_without_bom_handling(&bytes);
                        (t.into_owned(), (), e)
                    },
                    |t| (t.into_owned(), (), false),
                );
            assert_eq!((ours.into_owned(), errors), (expected, expected_errors));
        }
    }
}
