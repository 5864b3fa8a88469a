//! Text made safe for markup, shared by every writer of XML and HTML (DOCX
//! parts, SVG, the HTML report): one place decides which characters a
//! document may hold and how markup characters are escaped.

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Appends `text` to `out`, escaped for element content and for attribute
/// values in either quote. A vertical tab or form feed (Excel writes U+000B
/// for a line break inside a cell) becomes a space; every other character XML
/// forbids is dropped, so that what is written always parses.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{b}' | '\u{c}' => out.push(' '),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `text` escaped as [`push_escaped`] does.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// A small streaming XML writer: elements are opened and closed in order,
/// and every attribute value and text goes through [`push_escaped`].
#[derive(Debug)]
pub struct XmlWriter {
    out: String,
    open: Vec<&'static str>,
}

impl XmlWriter {
    /// A document that starts with the XML declaration.
    pub fn new() -> XmlWriter {
        XmlWriter {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"),
            open: Vec::new(),
        }
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            push_escaped(&mut self.out, value);
            self.out.push('"');
        }
    }

    /// Opens `<name attrs…>`; [`Self::end`] closes it.
    pub fn start(&mut self, name: &'static str, attrs: &[(&str, &str)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push('>');
        self.open.push(name);
        self
    }

    /// Writes `<name attrs…/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push_str("/>");
        self
    }

    /// Writes escaped text inside the open element.
    pub fn text(&mut self, text: &str) -> &mut Self {
        push_escaped(&mut self.out, text);
        self
    }

    /// Writes `<name attrs…>text</name>`.
    pub fn leaf(&mut self, name: &'static str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.start(name, attrs).text(text).end()
    }

    /// Closes the innermost open element.
    pub fn end(&mut self) -> &mut Self {
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        self
    }

    /// The document, with every element still open closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }
}

impl Default for XmlWriter {
    fn default() -> Self {
        XmlWriter::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_go() {
        assert_eq!(
            escape("a & b <c> \"d\" 'e'\u{b}f\u{1}\u{0}\u{fffe}\u{1F600}"),
            "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; f\u{1F600}"
        );
    }

    #[test]
    fn elements_close_in_order() {
        let mut w = XmlWriter::new();
        w.start("a", &[("k", "<&>")])
            .leaf("b", &[], "x\u{7}y")
            .empty("c", &[]);
        let xml = w.finish();
        assert!(
            xml.ends_with("<a k=\"&lt;&amp;&gt;\"><b>xy</b><c/></a>"),
            "{xml}"
        );
    }
}
