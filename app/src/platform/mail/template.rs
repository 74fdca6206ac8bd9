//! Every message is written once, as blocks, and rendered to a plain-text and an HTML
//! part from that one source. The HTML part escapes every piece of text it did not
//! create; subjects and names are folded onto one line so they can never carry a
//! header break.
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    /// A call to action: shown as "label: url" in text and as a link in HTML.
    Link {
        label: String,
        url: String,
    },
    /// Label/value pairs such as date, venue, chair.
    Facts(Vec<(String, String)>),
    /// A chair's Markdown: as written in the text part, as clean HTML
    /// (`platform::markdown`) in the HTML part.
    Markdown(String),
}

/// A message before rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    /// "Dear Anna Kowalska," (without the name when it is unknown).
    pub greeting: Option<String>,
    pub blocks: Vec<Block>,
    /// Why the recipient gets this message.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Removes line breaks and other control characters and trims: the only shape a
/// header value (subject, display name) may take.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

pub use crate::ui::escape_html;

/// Only http(s) and mailto links become clickable; anything else is shown as text.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

impl Email {
    pub fn render(&self) -> Rendered {
        let subject = one_line(&self.subject);
        let mut text = String::new();
        let mut html = String::new();
        let _ = write!(
            html,
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:Arial,sans-serif;line-height:1.5;color:#1a1a1a;max-width:40rem\">",
            escape_html(&subject)
        );
        if let Some(g) = &self.greeting {
            let _ = writeln!(text, "{g}\n");
            let _ = write!(html, "<p>{}</p>", escape_html(g));
        }
        for block in &self.blocks {
            match block {
                Block::Heading(h) => {
                    let _ = writeln!(text, "{h}\n{}\n", "=".repeat(h.chars().count().min(72)));
                    let _ = write!(
                        html,
                        "<h2 style=\"font-size:1.2rem\">{}</h2>",
                        escape_html(h)
                    );
                }
                Block::Paragraph(p) => {
                    let _ = writeln!(text, "{p}\n");
                    let _ = write!(html, "<p>{}</p>", escape_html(p));
                }
                Block::Link { label, url } => {
                    let _ = writeln!(text, "{label}: {url}\n");
                    if safe_url(url) {
                        let _ = write!(
                            html,
                            "<p><a href=\"{}\" style=\"color:#004494\">{}</a></p>",
                            escape_html(url.trim()),
                            escape_html(label)
                        );
                    } else {
                        let _ = write!(html, "<p>{}: {}</p>", escape_html(label), escape_html(url));
                    }
                }
                Block::Markdown(source) => {
                    let _ = writeln!(text, "{}\n", source.trim_end());
                    html.push_str(&crate::platform::markdown::to_html(source));
                }
                Block::Facts(facts) => {
                    html.push_str(
                        "<table role=\"presentation\" style=\"border-collapse:collapse\">",
                    );
                    for (k, v) in facts {
                        let _ = writeln!(text, "{k}: {v}");
                        let _ = write!(
                            html,
                            "<tr><th scope=\"row\" style=\"text-align:left;padding:2px 12px 2px 0\">{}</th><td>{}</td></tr>",
                            escape_html(k),
                            escape_html(v)
                        );
                    }
                    text.push('\n');
                    html.push_str("</table>");
                }
            }
        }
        let _ = write!(text, "-- \n{}\n", self.reason);
        let _ = write!(
            html,
            "<hr><p style=\"font-size:.85rem;color:#404040\">{}</p></body></html>",
            escape_html(&self.reason)
        );
        Rendered {
            subject,
            text,
            html,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Email {
        Email {
            subject: "Invitation\r\nBcc: everyone@example.eu".into(),
            greeting: Some("Dear <b>Anna</b>,".into()),
            blocks: vec![
                Block::Paragraph("Tom & Jerry's \"plenary\"".into()),
                Block::Link {
                    label: "Open".into(),
                    url: "javascript:alert(1)".into(),
                },
                Block::Link {
                    label: "Agenda".into(),
                    url: "https://convene.example/a?x=1&y=2".into(),
                },
                Block::Facts(vec![("Venue".into(), "Eurojust, The Hague".into())]),
                Block::Markdown("**Agreed**: <script>alert(1)</script>".into()),
            ],
            reason: "You receive this because you are a member.".into(),
        }
    }

    #[test]
    fn a_subject_with_a_line_break_is_folded_onto_one_line() {
        let r = sample().render();
        assert_eq!(r.subject, "Invitation Bcc: everyone@example.eu");
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
    }

    #[test]
    fn the_html_part_escapes_everything_it_did_not_create() {
        let r = sample().render();
        assert!(r.html.contains("Dear &lt;b&gt;Anna&lt;/b&gt;,"));
        assert!(r.html.contains("Tom &amp; Jerry&#39;s &quot;plenary&quot;"));
        assert!(!r.html.contains("href=\"javascript:"), "{}", r.html);
        assert!(r.html.contains("<strong>Agreed</strong>"), "{}", r.html);
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r
            .html
            .contains("href=\"https://convene.example/a?x=1&amp;y=2\""));
    }

    #[test]
    fn both_parts_carry_the_same_content() {
        let r = sample().render();
        for needle in [
            "Eurojust, The Hague",
            "You receive this because you are a member.",
        ] {
            assert!(
                r.text.contains(needle) && r.html.contains(needle),
                "{needle}"
            );
        }
        assert!(r.text.contains("Agenda: https://convene.example/a?x=1&y=2"));
        assert!(r.text.contains("Dear <b>Anna</b>,"), "text is not escaped");
    }
}
