//! A cell written the way spreadsheet programs write nearly all of them,
//! `<c r="B2" s="1" t="s"><v>12</v></c>` or `<c r="B2" s="1"/>`, read
//! straight from its bytes: one look instead of quick-xml's five events
//! (and their UTF-8 checks), which were most of a large sheet's read. Any
//! other form (a prefix, a space, an entity, an inline string, a quote out
//! of place) is not taken, and quick-xml reads it as before.

/// What a cell's start tag says: its `r`, `t` and `s` as written.
pub(super) struct QuickCell<'x> {
    pub(super) r: Option<&'x str>,
    pub(super) t: Option<&'x str>,
    pub(super) s: Option<&'x str>,
    /// The text of its `<v>`, none for `<c …/>`.
    pub(super) v: Option<&'x str>,
    /// Bytes the cell takes, from its `<`.
    pub(super) len: usize,
}

/// The cell at the start of `xml`, when it is written the usual way.
pub(super) fn quick_cell(xml: &[u8]) -> Option<QuickCell<'_>> {
    let tail = xml.strip_prefix(b"<c")?;
    let close = tail.iter().position(|&b| b == b'>')?;
    let (tag, after) = (&tail[..close], &tail[close + 1..]);
    let (attributes, empty) = match tag.strip_suffix(b"/") {
        Some(a) => (a, true),
        None => (tag, false),
    };
    // `<col`, `<cfRule`: another element.
    if attributes.first().is_some_and(|b| !b.is_ascii_whitespace()) {
        return None;
    }
    let mut cell = QuickCell {
        r: None,
        t: None,
        s: None,
        v: None,
        len: 2 + close + 1,
    };
    let mut rest = attributes;
    loop {
        rest = trim_start(rest);
        if rest.is_empty() {
            break;
        }
        let eq = rest.iter().position(|&b| b == b'=')?;
        let name = &rest[..eq];
        let quote = *rest.get(eq + 1)?;
        if !matches!(quote, b'"' | b'\'') || name.iter().any(|b| !b.is_ascii_alphanumeric()) {
            return None;
        }
        let value_start = eq + 2;
        let value_len = rest[value_start..].iter().position(|&b| b == quote)?;
        let value = &rest[value_start..value_start + value_len];
        // An entity needs unescaping; quick-xml does it.
        if value.contains(&b'&') {
            return None;
        }
        let value = std::str::from_utf8(value).ok()?;
        match name {
            b"r" => cell.r = Some(value),
            b"t" => cell.t = Some(value),
            b"s" => cell.s = Some(value),
            _ => {}
        }
        rest = &rest[value_start + value_len + 1..];
        // Attributes are apart.
        if rest.first().is_some_and(|b| !b.is_ascii_whitespace()) {
            return None;
        }
    }
    if empty {
        return Some(cell);
    }
    let inner = after.strip_prefix(b"<v>")?;
    let text_len = inner.iter().position(|&b| b == b'<')?;
    let text = &inner[..text_len];
    // An entity, a line end to normalise, or nothing: quick-xml's reading.
    if text.is_empty() || text.iter().any(|&b| b == b'&' || b == b'\r') {
        return None;
    }
    if !inner[text_len..].starts_with(b"</v></c>") {
        return None;
    }
    cell.v = Some(std::str::from_utf8(text).ok()?);
    cell.len += 3 + text_len + 8;
    Some(cell)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_cells_are_taken() {
        let c = quick_cell(br#"<c r="B2" s="1" t="s"><v>12</v></c><c r="C2"/>"#).unwrap();
        assert_eq!(
            (c.r, c.s, c.t, c.v),
            (Some("B2"), Some("1"), Some("s"), Some("12"))
        );
        assert_eq!(c.len, r#"<c r="B2" s="1" t="s"><v>12</v></c>"#.len());
        let e = quick_cell(br#"<c r='C2' />rest"#).unwrap();
        assert_eq!((e.r, e.v, e.len), (Some("C2"), None, 12));
        let bare = quick_cell(b"<c><v>1.5</v></c>").unwrap();
        assert_eq!((bare.r, bare.v), (None, Some("1.5")));
    }

    #[test]
    fn any_other_form_is_left_to_quick_xml() {
        for xml in [
            &br#"<col min="1"/>"#[..],
            br#"<x:c r="A1"><v>1</v></x:c>"#,
            br#"<c r="A1"><v>1 &amp; 2</v></c>"#,
            br#"<c r="A1" t="inlineStr"><is><t>a</t></is></c>"#,
            br#"<c r="A1"> <v>1</v></c>"#,
            br#"<c r="A1"><v></v></c>"#,
            br#"<c r="A1"><v>1</v><f>A2</f></c>"#,
            br#"<c r="A&amp;1"><v>1</v></c>"#,
            br#"<c r="A1"s="2"><v>1</v></c>"#,
            br#"<c r="A1><v>1</v></c>"#,
            br#"<c r=A1><v>1</v></c>"#,
            br#"<c r="A1"><v>1"#,
            b"<c r=\"A1\"><v>1\r\n</v></c>",
            b"<c r=\"A1\"><v>\xff</v></c>",
            b"",
            b"<c",
        ] {
            assert!(
                quick_cell(xml).is_none(),
                "{}",
                String::from_utf8_lossy(xml)
            );
        }
    }
}
