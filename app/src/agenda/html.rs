//! The agenda page's days, written straight into one string.
//!
//! A 600-item agenda is some 12,000 elements; built as Leptos views they cost
//! most of the page's time (a view per element, an owned string per attribute,
//! then the walk that writes them). Written here into one buffer it is a fraction
//! of that, and the page embeds the result. Everything the reader did not write
//! as HTML is escaped by [`text`]; the one HTML taken as it is, an item's
//! description, was rendered from Markdown and cleaned by ammonia when published
//! (`platform::markdown`). Tests in `server/tests/api/agenda.rs` read hostile
//! titles, rooms and speakers back from the page.
use super::api::{ChooseWorkshop, GiveUpWorkshop};
use super::{AgendaDay, AgendaEntry, DayGrid, WorkshopChoice};
use leptos::server_fn::ServerFn;

/// `s` as HTML text or a quoted attribute value.
fn text(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// Where a choice form posts back to: the agenda's network and event.
pub struct Place<'a> {
    pub network: &'a str,
    pub event: &'a str,
}

fn choice(out: &mut String, c: &WorkshopChoice, title: &str, place: &Place<'_>) {
    out.push_str(r#"<div class="agenda-choice no-print" data-testid="workshop-choice">"#);
    if c.chosen {
        out.push_str(r#"<p class="badge badge-published">Your choice</p>"#);
    }
    if let Some(n) = c.places_left {
        out.push_str(r#"<p class="agenda-places">"#);
        match n {
            0 => out.push_str("Full"),
            1 => out.push_str("1 place left"),
            n => out.push_str(&format!("{n} places left")),
        }
        out.push_str("</p>");
    }
    let full = c.places_left == Some(0) && !c.chosen;
    if !full {
        let (action, class, button, label) = if c.chosen {
            (
                GiveUpWorkshop::url(),
                r#" class="button-secondary""#,
                "Give up my place",
                "Give up my place in",
            )
        } else {
            (ChooseWorkshop::url(), "", "Choose this workshop", "Choose")
        };
        out.push_str(r#"<form method="post" action=""#);
        text(out, action);
        out.push_str(r#""><input type="hidden" name="network" value=""#);
        text(out, place.network);
        out.push_str(r#""/><input type="hidden" name="slug" value=""#);
        text(out, place.event);
        out.push_str(&format!(
            r#""/><input type="hidden" name="item_id" value="{}"/><button type="submit"{class} aria-label=""#,
            c.item_id
        ));
        text(out, &format!("{label} \u{201c}{title}\u{201d}"));
        out.push_str(r#"">"#);
        out.push_str(button);
        out.push_str("</button></form>");
    }
    out.push_str("</div>");
}

/// What an item says: its time, what it is, the room and who speaks; a closed
/// session the reader may not see is its time and "Closed session", nothing more.
fn body(out: &mut String, e: &AgendaEntry, place: &Place<'_>) {
    out.push_str(r#"<p class="agenda-time"><time datetime=""#);
    text(out, &e.starts_iso);
    out.push_str(r#"">"#);
    text(out, &e.time);
    out.push_str(r##"</time></p><div class="agenda-body"><h3><a class="anchor" href="#"##);
    text(out, &e.anchor);
    out.push_str(r#"">"#);
    text(out, &e.title);
    out.push_str("</a></h3>");
    if !e.closed {
        out.push_str(r#"<p class="eyebrow">"#);
        text(out, &e.kind);
        out.push_str("</p>");
    }
    if !e.room.is_empty() {
        out.push_str(r#"<p class="agenda-room">Room: "#);
        text(out, &e.room);
        out.push_str("</p>");
    }
    if !e.people.is_empty() {
        out.push_str(r#"<ul class="agenda-people" aria-label="Speakers">"#);
        for p in &e.people {
            out.push_str("<li>");
            text(out, p);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if !e.description_html.is_empty() {
        // Clean HTML: rendered from Markdown and cleaned by ammonia when published.
        out.push_str(r#"<div class="agenda-description">"#);
        out.push_str(&e.description_html);
        out.push_str("</div>");
    }
    if let Some(c) = &e.choice {
        choice(out, c, &e.title, place);
    }
    if let Some(href) = &e.edit_href {
        out.push_str(r#"<p class="no-print"><a href=""#);
        text(out, href);
        out.push_str(r#"">"#);
        text(
            out,
            &format!("Edit \u{201c}{}\u{201d} (you chair it)", e.title),
        );
        out.push_str("</a></p>");
    }
    out.push_str("</div>");
}

fn item_class(e: &AgendaEntry) -> &'static str {
    if e.closed {
        "agenda-item agenda-closed"
    } else {
        "agenda-item"
    }
}

/// An item's opening tag attributes: its class, anchor and test id.
fn item_attributes(out: &mut String, e: &AgendaEntry) {
    out.push_str(r#" class=""#);
    out.push_str(item_class(e));
    out.push_str(r#"" id=""#);
    text(out, &e.anchor);
    out.push_str(r#"" data-testid="agenda-item""#);
}

fn grid(out: &mut String, g: &DayGrid, items: &[AgendaEntry], label: &str, place: &Place<'_>) {
    out.push_str(
        r#"<table class="agenda-grid" data-testid="agenda-grid"><caption class="visually-hidden">"#,
    );
    text(out, &format!("{label}, by time and room"));
    out.push_str(r#"</caption><thead><tr><th scope="col">Time</th>"#);
    for room in &g.rooms {
        out.push_str(r#"<th scope="col">"#);
        text(out, room);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for row in &g.rows {
        out.push_str(r#"<tr><th scope="row">"#);
        text(out, &row.time);
        out.push_str("</th>");
        for cell in &row.cells {
            match cell.item.and_then(|i| items.get(i)) {
                None => out.push_str(r#"<td class="agenda-empty"></td>"#),
                Some(e) => {
                    out.push_str("<td");
                    item_attributes(out, e);
                    out.push_str(&format!(
                        r#" rowspan="{}" colspan="{}">"#,
                        cell.rows, cell.cols
                    ));
                    body(out, e, place);
                    out.push_str("</td>");
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// A day's content under its heading: as time by room where items run in
/// parallel (a table on wide screens, the same cells one after the other on
/// narrow ones and on paper), else a list.
pub fn day(d: &AgendaDay, place: &Place<'_>) -> String {
    // About 700 bytes an item, written once without growing.
    let mut out = String::with_capacity(256 + d.items.len() * 800);
    match &d.grid {
        Some(g) => grid(&mut out, g, &d.items, &d.label, place),
        None => {
            out.push_str(r#"<ol class="agenda-list">"#);
            for e in &d.items {
                out.push_str("<li");
                item_attributes(&mut out, e);
                out.push('>');
                body(&mut out, e, place);
                out.push_str("</li>");
            }
            out.push_str("</ol>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str) -> AgendaEntry {
        AgendaEntry {
            item_id: 7,
            anchor: "item-7".into(),
            closed: false,
            kind: "Workshop".into(),
            title: title.into(),
            description_html: "<p>Clean</p>".into(),
            time: "09:30–10:15".into(),
            starts_iso: "2027-03-18T09:30:00+01:00".into(),
            room: "Room <B>".into(),
            people: vec!["Ana \"Q\" O'Neill (Eurojust & co)".into()],
            choice: Some(WorkshopChoice {
                item_id: 7,
                chosen: false,
                places_left: Some(3),
            }),
            edit_href: None,
        }
    }

    #[test]
    fn everything_typed_is_escaped_in_text_and_attributes() {
        let d = AgendaDay {
            label: "Thursday 18 March 2027".into(),
            anchor: "day-2027-03-18".into(),
            items: vec![entry("<script>alert(1)</script> \"quoted\"")],
            grid: None,
        };
        let html = day(
            &d,
            &Place {
                network: "ejocn",
                event: "a\"b",
            },
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;"));
        assert!(html.contains("Room: Room &lt;B&gt;"));
        assert!(html.contains("Ana &quot;Q&quot; O&#39;Neill (Eurojust &amp; co)"));
        assert!(html.contains(r#"name="slug" value="a&quot;b""#));
        assert!(
            html.contains("<p>Clean</p>"),
            "the cleaned description as it is"
        );
        assert!(html.contains("3 places left"));
        assert!(html.starts_with(r#"<ol class="agenda-list"><li class="agenda-item" id="item-7" data-testid="agenda-item">"#));
    }
}
