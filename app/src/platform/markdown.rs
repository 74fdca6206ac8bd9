//! Markdown that chairs write (agenda descriptions), as HTML that is safe in a page
//! or a mail. Raw HTML in the source is shown as the text it is, headings start at
//! level 4 (the page's own headings come first), and what comes out is cleaned by
//! ammonia: only plain text markup, links to http, https and mailto, no images, no
//! attributes that could run or load anything.
use super::kept::{remember, Bounded};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::sync::{LazyLock, Mutex};

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.rm_tags(["img"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"));
    b
});

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H4,
        HeadingLevel::H2 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// `source` as clean HTML; the empty text gives the empty string.
pub fn to_html(source: &str) -> String {
    if source.trim().is_empty() {
        return String::new();
    }
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    CLEANER.clean(&html).to_string()
}

/// [`to_html`] of a text that pages show again and again unchanged (an approved
/// report's summary on its event's page): converted and cleaned once, then answered
/// from memory, keyed by the whole text (so two texts never share an answer), in a
/// [`Bounded`] cache of [`REMEMBERED_BYTES`] (sources and answers counted; the
/// oldest go first).
pub fn to_html_remembered(source: &str) -> String {
    static SEEN: LazyLock<Mutex<Bounded<String>>> =
        LazyLock::new(|| Mutex::new(Bounded::new(REMEMBERED_BYTES)));
    remember(&SEEN, source, || to_html(source)).as_ref().clone()
}

/// How much [`to_html_remembered`] keeps.
const REMEMBERED_BYTES: usize = 4 << 20;

#[cfg(test)]
mod tests {
    use super::{to_html, to_html_remembered};

    #[test]
    fn a_remembered_text_is_the_same_as_converted_and_texts_never_share_an_answer() {
        let a = "**Agreed**: <script>alert(1)</script> [x](javascript:y)";
        let b = "Other *text*";
        assert_eq!(to_html_remembered(a), to_html(a));
        assert_eq!(to_html_remembered(a), to_html(a), "asked again");
        assert_eq!(to_html_remembered(b), to_html(b));
        assert!(!to_html_remembered(a).contains("<script"));
    }

    #[test]
    fn emphasis_lists_and_links_are_kept() {
        let html = to_html("Chaired by the **Presidency**.\n\n- one\n- two\n\n[Eurojust](https://www.eurojust.europa.eu)");
        assert!(html.contains("<strong>Presidency</strong>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(
            html.contains("<a href=\"https://www.eurojust.europa.eu\" rel=\"noopener noreferrer nofollow\">Eurojust</a>"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_and_scripts_never_come_out_as_markup() {
        for hostile in [
            "<script>alert(1)</script>",
            "Hello <img src=x onerror=alert(1)> there",
            "<div onclick=\"x()\">block</div>",
            "[click](javascript:alert(1))",
            "![pic](https://evil.example/track.png)",
            "<a href=\"https://evil.example\" style=\"position:fixed\">x</a>",
        ] {
            let html = to_html(hostile);
            // Every tag that comes out is a paragraph or a link to http(s) with
            // nothing else on it; the rest is text (escaped).
            for tag in html
                .split('<')
                .skip(1)
                .map(|t| t.split('>').next().unwrap_or(""))
            {
                // (a link to anything else keeps its text and loses its address)
                let fine = matches!(
                    tag,
                    "p" | "/p" | "/a" | "a rel=\"noopener noreferrer nofollow\""
                ) || (tag.starts_with("a href=\"https://")
                    && tag.ends_with("rel=\"noopener noreferrer nofollow\"")
                    && !tag.contains("style"));
                assert!(fine, "{hostile:?} gave the tag <{tag}> in {html:?}");
            }
        }
        assert!(to_html("<b>bold?</b>").contains("&lt;b&gt;bold?&lt;/b&gt;"));
    }

    #[test]
    fn headings_start_below_the_page_s_own() {
        let html = to_html("# Aims\n\n## Method\n\n### Detail");
        assert!(
            html.contains("<h4>Aims</h4>")
                && html.contains("<h5>Method</h5>")
                && html.contains("<h6>Detail</h6>"),
            "{html}"
        );
        assert!(
            !html.contains("<h1") && !html.contains("<h2") && !html.contains("<h3"),
            "{html}"
        );
    }

    #[test]
    fn nothing_in_gives_nothing_out() {
        assert_eq!(to_html("  \n "), "");
    }
}
