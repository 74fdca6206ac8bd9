//! CSV exports that spreadsheet programs open as written: UTF-8 with a byte-order
//! mark, CRLF line ends, every field quoted, and text that a spreadsheet would run
//! as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
//! prefixed with an apostrophe, so a name like `=HYPERLINK(…)` stays a name.

/// One field, quoted and made inert.
pub fn field(value: &str) -> String {
    let inert = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    };
    // NUL never reaches a spreadsheet; quotes are doubled inside the quotes.
    format!("\"{}\"", inert.replace('\0', "").replace('"', "\"\""))
}

/// A whole file: the byte-order mark, the header row, then one row per record.
pub fn document(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    let line =
        |cells: Vec<String>| cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| (*h).to_owned()).collect()));
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_quotes_and_line_breaks_stay_text() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1+2"), "\"'-1+2\"");
        assert_eq!(field("Katharina\r\nBecker"), "\"Katharina\r\nBecker\"");
        assert_eq!(field("O'Brien"), "\"O'Brien\"");
        let doc = document(&["Name"], [vec!["Ana".to_owned()]]);
        assert!(doc.starts_with('\u{feff}'));
        assert!(doc.ends_with("\"Ana\"\r\n"));
    }
}
