//! A rule written as an expression, read as text: the indicator codes it
//! names, and `CODE[period]` references turned into variables. Checked when
//! the catalogue loads (a period that does not read, or an expression that
//! does not parse, refuses the catalogue); `check::expr` evaluates it.

use crate::model::Period;

/// The all-capital identifiers of an expression: the indicator codes it names.
pub fn identifiers(expr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in expr
        .char_indices()
        .chain(std::iter::once((expr.len(), ' ')))
    {
        let word = c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_';
        match (start, word) {
            (None, true) if c.is_ascii_uppercase() => start = Some(i),
            (Some(s), false) => {
                let id = &expr[s..i];
                if id.chars().any(|c| c.is_ascii_uppercase()) && !out.contains(&id) {
                    out.push(id);
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// `CODE[period]` → a variable `__pN`; returns the rewritten text and the references.
pub fn rewrite(expr: &str, refs: &mut Vec<(String, Period)>) -> Result<String, String> {
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(open) = rest.find('[') {
        let before = &rest[..open];
        let code_start = before
            .rfind(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .map_or(0, |i| i + 1);
        let close = rest[open..]
            .find(']')
            .map(|i| i + open)
            .ok_or("thiếu dấu ]")?;
        let code = &before[code_start..];
        let period_text = rest[open + 1..close].trim().trim_matches(['"', '\'']);
        let period =
            Period::parse(period_text).ok_or_else(|| format!("kỳ không hợp lệ: {period_text}"))?;
        out.push_str(&before[..code_start]);
        out.push_str(&format!("__p{}", refs.len()));
        refs.push((code.to_string(), period));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Whether `left op right` reads: its period references and its syntax.
pub fn validate(left: &str, right: &str) -> Result<(), String> {
    let mut refs = Vec::new();
    let env = minijinja::Environment::new();
    for side in [left, right] {
        let text = rewrite(side, &mut refs)?;
        env.compile_expression(&text).map_err(|e| e.to_string())?;
    }
    Ok(())
}
