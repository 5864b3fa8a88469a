//! Folding text for matching: no case, no diacritics, no spacing or punctuation.
//! "Mã chỉ tiêu", "MA CHI TIEU" and "ma_chi_tieu" all fold to "machitieu".

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds `text` for header and name matching.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Folds but keeps single spaces between words, for prefix matching of phrases
/// such as "nam 2020" or "quy i/2021".
pub fn fold_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        let c = if c == 'đ' { 'd' } else { c };
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_alike() {
        assert_eq!(fold("Mã chỉ tiêu"), "machitieu");
        assert_eq!(fold("MÃ CHỈ TIÊU"), "machitieu");
        assert_eq!(fold("ma_chi_tieu"), "machitieu");
        assert_eq!(fold(" Đơn vị tính "), "donvitinh");
        assert_eq!(fold("ĐVT"), "dvt");
    }

    #[test]
    fn words_keep_single_spaces() {
        assert_eq!(
            fold_words("  Giai   đoạn 2016–2020 "),
            "giai doan 2016–2020"
        );
        assert_eq!(fold_words("Quý I/2021"), "quy i/2021");
    }
}
