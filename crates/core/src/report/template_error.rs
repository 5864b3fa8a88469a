//! A template's errors in Vietnamese: minijinja's own messages are English
//! ("unexpected `}`, expected `,`"); the common ones are said again here,
//! and the rest keep minijinja's words after a Vietnamese kind.

use minijinja::{Error, ErrorKind};

/// minijinja's names for tokens, in the words a template's author reads.
fn token(text: &str) -> String {
    let t = text.trim();
    match t {
        "end of input" => "hết mẫu".into(),
        "identifier" => "tên".into(),
        "string" => "chuỗi".into(),
        "integer" | "float" => "số".into(),
        "end of variable block" => "}}".into(),
        "end of block" => "%}".into(),
        _ => t.trim_matches('`').to_string(),
    }
}

/// One sentence, in Vietnamese, that says what is wrong.
pub fn vietnamese(e: &Error) -> String {
    let detail = e.detail().unwrap_or("");
    match e.kind() {
        ErrorKind::OutOfFuel => "mẫu chạy quá lâu (vòng lặp không dừng?) nên đã bị dừng".into(),
        ErrorKind::SyntaxError => {
            if let Some((found, wanted)) = detail
                .strip_prefix("unexpected ")
                .and_then(|rest| rest.split_once(", expected "))
            {
                format!(
                    "sai cú pháp: gặp «{}» ở chỗ cần «{}»",
                    token(found),
                    token(wanted)
                )
            } else if let Some(found) = detail.strip_prefix("unexpected ") {
                format!("sai cú pháp: không chờ «{}» ở đây", token(found))
            } else {
                format!("sai cú pháp ({detail})")
            }
        }
        ErrorKind::UnknownFunction => format!(
            "không có hàm này trong mẫu ({detail}); các hàm có: so, so0, hieu, bien_dong, tang_giam, cac_phan, chuoi_hang, ky, ngay, bieu_do, bang, so_bieu, ty_le_bieu"
        ),
        ErrorKind::UnknownFilter => format!("không có bộ lọc này ({detail})"),
        ErrorKind::UndefinedError => format!("dùng một tên chưa có giá trị ({detail})"),
        ErrorKind::MissingArgument => format!("hàm thiếu đối số ({detail})"),
        ErrorKind::TooManyArguments => format!("hàm nhận thừa đối số ({detail})"),
        ErrorKind::InvalidOperation if !detail.is_empty() => detail.to_string(),
        ErrorKind::InvalidOperation => "phép tính không thực hiện được".into(),
        ErrorKind::CannotUnpack => format!("không tách được giá trị ({detail})"),
        ErrorKind::BadEscape => format!("ký tự thoát sai trong chuỗi ({detail})"),
        other => {
            let words = if detail.is_empty() { other.to_string() } else { detail.to_string() };
            format!("lỗi mẫu: {words}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(template: &str) -> String {
        let mut env = minijinja::Environment::new();
        env.add_function("so", |_: String, _: i64| String::new());
        match env.render_str(template, ()) {
            Err(e) => vietnamese(&e),
            Ok(_) => String::from("(no error)"),
        }
    }

    #[test]
    fn common_errors_read_in_vietnamese() {
        assert_eq!(
            error_of("{{ so(\"A\" 2020) }}"),
            "sai cú pháp: gặp «số» ở chỗ cần «,»"
        );
        assert!(error_of("{{ so(\"A\", 2020 }}").starts_with("sai cú pháp"));
        assert!(error_of("{% if x %}").starts_with("sai cú pháp"));
        assert!(error_of("{{ khong_co(1) }}").starts_with("không có hàm này"));
        assert!(error_of("{{ so() }}").starts_with("hàm thiếu đối số"));
    }
}
