//! The organisers' own questions on an event's registration form, and the
//! participants' answers: short text, long text, single choice, multiple choice
//! and a checkbox; required or optional; in the organisers' order.
//!
//! On the form, question 12 is the field `q12` (its value: the text, the index of
//! the choice, or `yes` for a ticked checkbox), and choice 2 of a multiple choice
//! question 12 is the checkbox `q12_2`. Answers are stored as text: the chosen
//! choices' words, one per line.
use crate::domain::DomainError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kinds of question, as stored, with their names on the organisers' form.
pub const KINDS: [(&str, &str); 5] = [
    ("short_text", "Short text"),
    ("long_text", "Long text"),
    ("single_choice", "One choice from a list"),
    ("multiple_choice", "Several choices from a list"),
    ("checkbox", "A checkbox (yes or no)"),
];

/// The most questions an event may ask, and the most choices one may offer.
pub const MAX_QUESTIONS: usize = 30;
pub const MAX_CHOICES: usize = 20;

/// One question as the registration form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: String,
    pub label: String,
    pub choices: Vec<String>,
    pub required: bool,
}

impl Question {
    /// The form field of the question.
    pub fn field(&self) -> String {
        format!("q{}", self.id)
    }

    /// The checkbox of choice `i` of a multiple choice question.
    pub fn choice_field(&self, i: usize) -> String {
        format!("q{}_{i}", self.id)
    }

    pub fn kind_label(&self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _)| *k == self.kind)
            .map(|(_, l)| *l)
            .unwrap_or("Question")
    }

    /// The form's values for a stored answer (to prefill a change).
    pub fn form_values(&self, answer: &str) -> Vec<(String, String)> {
        match self.kind.as_str() {
            "single_choice" => self
                .choices
                .iter()
                .position(|c| c == answer)
                .map(|i| vec![(self.field(), i.to_string())])
                .unwrap_or_default(),
            "multiple_choice" => answer
                .lines()
                .filter_map(|a| self.choices.iter().position(|c| c == a))
                .map(|i| (self.choice_field(i), "yes".to_owned()))
                .collect(),
            _ => vec![(self.field(), answer.to_owned())],
        }
    }
}

/// An answer in words, for lists and exports ("Yes", "Workshop A; Workshop B").
pub fn answer_text(kind: &str, answer: &str) -> String {
    match kind {
        "checkbox" if answer == "yes" => "Yes".to_owned(),
        "checkbox" => "No".to_owned(),
        _ => answer.lines().collect::<Vec<_>>().join("; "),
    }
}

/// Checks the answers sent with a registration form (`fields`: every field the
/// form sent) against the questions: a required question answered, a choice one
/// of those offered, texts within their limits. Returns (question, answer) for
/// every question answered.
pub fn check_answers(
    questions: &[Question],
    fields: &BTreeMap<String, String>,
) -> Result<Vec<(i64, String)>, Vec<DomainError>> {
    let mut p = crate::domain::Problems::new();
    let mut out = Vec::new();
    for q in questions {
        let field = q.field();
        let raw = fields.get(&field).map(String::as_str).unwrap_or("");
        let answer = match q.kind.as_str() {
            "short_text" => p.check(crate::domain::optional_text(&field, raw, 300)),
            "long_text" => p.check(crate::domain::optional_multiline(&field, raw, 4000)),
            "single_choice" => match raw.trim() {
                "" => None,
                i => match i.parse::<usize>().ok().and_then(|i| q.choices.get(i)) {
                    Some(c) => Some(c.clone()),
                    None => {
                        p.add(DomainError::new(
                            &field,
                            "Choose one of the answers offered.",
                        ));
                        None
                    }
                },
            },
            "multiple_choice" => {
                let chosen: Vec<&str> = q
                    .choices
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        fields.get(&q.choice_field(*i)).map(String::as_str) == Some("yes")
                    })
                    .map(|(_, c)| c.as_str())
                    .collect();
                (!chosen.is_empty()).then(|| chosen.join("\n"))
            }
            "checkbox" => (raw == "yes").then(|| "yes".to_owned()),
            _ => None,
        };
        match answer {
            Some(a) => out.push((q.id, a)),
            None if q.required && !p.has(&field) => p.add(DomainError::new(
                &field,
                match q.kind.as_str() {
                    "checkbox" => "Tick this box to register.",
                    "single_choice" => "Choose an answer: this question is required.",
                    "multiple_choice" => "Choose at least one answer: this question is required.",
                    _ => "Answer this question: it is required.",
                },
            )),
            None => {}
        }
    }
    p.done()?;
    Ok(out)
}

/// Checks a new question from the organisers' form: its kind, its wording, and
/// for a choice its choices (one per line, at least two, no repeats).
pub fn check_question(
    kind: &str,
    label: &str,
    choices: &str,
) -> Result<(String, String, Vec<String>), Vec<DomainError>> {
    let mut p = crate::domain::Problems::new();
    let kind = match KINDS.iter().find(|(k, _)| *k == kind.trim()) {
        Some((k, _)) => (*k).to_owned(),
        None => {
            p.add(DomainError::new(
                "kind",
                "Choose what kind of answer it takes.",
            ));
            String::new()
        }
    };
    let label = p.check(crate::domain::required_text(
        "label",
        label,
        "the question",
        300,
    ));
    let mut list: Vec<String> = Vec::new();
    if kind.ends_with("_choice") {
        for line in choices.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match crate::domain::optional_text("choices", line, 200) {
                Ok(Some(c)) if list.contains(&c) => {
                    p.add(DomainError::new(
                        "choices",
                        format!("\u{201c}{c}\u{201d} is there twice: give each choice once."),
                    ));
                    break;
                }
                Ok(Some(c)) => list.push(c),
                Ok(None) => {}
                Err(e) => {
                    p.add(e);
                    break;
                }
            }
        }
        if !p.has("choices") && list.len() < 2 {
            p.add(DomainError::new(
                "choices",
                "Give at least two choices, one per line.",
            ));
        } else if list.len() > MAX_CHOICES {
            p.add(DomainError::new(
                "choices",
                format!("Give at most {MAX_CHOICES} choices."),
            ));
        }
    }
    p.done()?;
    Ok((kind, label, list))
}

#[cfg(feature = "ssr")]
pub mod store {
    //! The SQL of questions and answers.
    use super::Question;
    use crate::platform::db::{StoreResult, Tx};
    use crate::{on_pool, on_tx};
    use chrono::{DateTime, Utc};

    type Row = (i64, String, String, String, bool);

    fn question((id, kind, label, choices, required): Row) -> Question {
        Question {
            id,
            kind,
            label,
            choices: choices.lines().map(str::to_owned).collect(),
            required,
        }
    }

    /// An event's questions, in order.
    pub async fn list(store: &crate::platform::Store, event_id: i64) -> StoreResult<Vec<Question>> {
        let rows: Vec<Row> = on_pool!(store, pool => {
            sqlx::query_as(LIST).bind(event_id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(question).collect())
    }

    /// [`list`] inside a transaction.
    pub async fn list_in(tx: &mut Tx<'_>, event_id: i64) -> StoreResult<Vec<Question>> {
        let rows: Vec<Row> = on_tx!(tx, conn => {
            sqlx::query_as(LIST).bind(event_id).fetch_all(conn).await?
        });
        Ok(rows.into_iter().map(question).collect())
    }

    const LIST: &str = "SELECT id, kind, label, choices, required FROM registration_questions
                        WHERE event_id = $1 ORDER BY position";

    /// Adds a question at the end; returns its id.
    pub async fn add(
        tx: &mut Tx<'_>,
        event_id: i64,
        kind: &str,
        label: &str,
        choices: &[String],
        required: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        Ok(on_tx!(tx, conn => {
            sqlx::query_scalar(
                "INSERT INTO registration_questions (event_id, position, kind, label, choices, required, created_at)
                 SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4, $5, $6
                 FROM registration_questions WHERE event_id = $1
                 RETURNING id",
            )
            .bind(event_id)
            .bind(kind)
            .bind(label)
            .bind(choices.join("\n"))
            .bind(required)
            .bind(now)
            .fetch_one(conn)
            .await?
        }))
    }

    /// Removes a question and its answers; its label when it was there.
    pub async fn remove(
        tx: &mut Tx<'_>,
        event_id: i64,
        question_id: i64,
    ) -> StoreResult<Option<String>> {
        Ok(on_tx!(tx, conn => {
            sqlx::query_scalar(
                "DELETE FROM registration_questions WHERE event_id = $1 AND id = $2 RETURNING label",
            )
            .bind(event_id)
            .bind(question_id)
            .fetch_optional(conn)
            .await?
        }))
    }

    /// Moves a question one place up (or down); false at the edge or when absent.
    pub async fn shift(
        tx: &mut Tx<'_>,
        event_id: i64,
        question_id: i64,
        up: bool,
    ) -> StoreResult<bool> {
        let sql = if up {
            "SELECT b.id, CAST(a.position AS BIGINT), CAST(b.position AS BIGINT) FROM registration_questions a
             JOIN registration_questions b ON b.event_id = a.event_id AND b.position < a.position
             WHERE a.event_id = $1 AND a.id = $2 ORDER BY b.position DESC LIMIT 1"
        } else {
            "SELECT b.id, CAST(a.position AS BIGINT), CAST(b.position AS BIGINT) FROM registration_questions a
             JOIN registration_questions b ON b.event_id = a.event_id AND b.position > a.position
             WHERE a.event_id = $1 AND a.id = $2 ORDER BY b.position LIMIT 1"
        };
        let other: Option<(i64, i64, i64)> = on_tx!(tx, conn => {
            sqlx::query_as(sql)
                .bind(event_id)
                .bind(question_id)
                .fetch_optional(conn)
                .await?
        });
        let Some((other, mine, theirs)) = other else {
            return Ok(false);
        };
        // Through a negative position: (event, position) is unique at every moment.
        on_tx!(tx, conn => {
            for (id, position) in [(question_id, -mine), (other, mine), (question_id, theirs)] {
                sqlx::query("UPDATE registration_questions SET position = $2 WHERE id = $1")
                    .bind(id)
                    .bind(position)
                    .execute(&mut *conn)
                    .await?;
            }
        });
        Ok(true)
    }

    /// Replaces a person's answers to an event's questions.
    pub async fn save_answers(
        tx: &mut Tx<'_>,
        event_id: i64,
        person_id: i64,
        answers: &[(i64, String)],
    ) -> StoreResult<()> {
        save_answers_many(tx, event_id, &[(person_id, answers)]).await
    }

    /// [`save_answers`] for several people at once.
    pub async fn save_answers_many(
        tx: &mut Tx<'_>,
        event_id: i64,
        people: &[(i64, &[(i64, String)])],
    ) -> StoreResult<()> {
        use crate::platform::db::{value_list, value_rows, ROWS_PER_STATEMENT};
        for chunk in people.chunks(ROWS_PER_STATEMENT) {
            let sql = tx.positional(format!(
                "DELETE FROM registration_answers
                 WHERE question_id IN (SELECT id FROM registration_questions WHERE event_id = $1)
                   AND person_id IN ({})",
                value_list(2, chunk.len())
            ));
            on_tx!(tx, conn => {
                let mut q = sqlx::query(&sql).bind(event_id);
                for (person, _) in chunk {
                    q = q.bind(*person);
                }
                q.execute(conn).await?;
            });
        }
        let rows: Vec<(i64, i64, &str)> = people
            .iter()
            .flat_map(|(person, answers)| {
                answers
                    .iter()
                    .map(move |(question, answer)| (*question, *person, answer.as_str()))
            })
            .collect();
        // Only the event's own questions are answered: a question removed meanwhile
        // (or another event's) drops its answer instead of failing the registration.
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = tx.positional(format!(
                "INSERT INTO registration_answers (question_id, person_id, answer)
                 SELECT v.column1, v.column2, v.column3 FROM (VALUES {}) AS v
                 JOIN registration_questions q ON q.id = v.column1 WHERE q.event_id = ${}",
                value_rows(1, chunk.len(), 3),
                chunk.len() * 3 + 1
            ));
            on_tx!(tx, conn => {
                let mut q = sqlx::query(&sql);
                for (question, person, answer) in chunk {
                    q = q.bind(*question).bind(*person).bind(*answer);
                }
                q.bind(event_id).execute(conn).await?;
            });
        }
        Ok(())
    }

    /// Every answer to an event's questions: (person, question, answer).
    pub async fn event_answers(
        store: &crate::platform::Store,
        event_id: i64,
    ) -> StoreResult<Vec<(i64, i64, String)>> {
        Ok(on_pool!(store, pool => {
            sqlx::query_as(
                "SELECT a.person_id, a.question_id, a.answer FROM registration_answers a
                 JOIN registration_questions q ON q.id = a.question_id WHERE q.event_id = $1",
            )
            .bind(event_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// A person's answers for one event: (question, answer).
    pub async fn answers_of(
        store: &crate::platform::Store,
        event_id: i64,
        person_id: i64,
    ) -> StoreResult<Vec<(i64, String)>> {
        Ok(on_pool!(store, pool => {
            sqlx::query_as(
                "SELECT a.question_id, a.answer FROM registration_answers a
                 JOIN registration_questions q ON q.id = a.question_id
                 WHERE q.event_id = $1 AND a.person_id = $2",
            )
            .bind(event_id)
            .bind(person_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// A person's answers to every event's questions, for their export.
    pub async fn export_person(
        store: &crate::platform::Store,
        person_id: i64,
    ) -> StoreResult<serde_json::Value> {
        #[derive(sqlx::FromRow, serde::Serialize)]
        struct Answer {
            event: String,
            question: String,
            answer: String,
        }
        let rows: Vec<Answer> = on_pool!(store, pool => {
            sqlx::query_as(
                "SELECT e.title AS event, q.label AS question, a.answer
                 FROM registration_answers a
                 JOIN registration_questions q ON q.id = a.question_id
                 JOIN events e ON e.id = q.event_id
                 WHERE a.person_id = $1 ORDER BY e.id, q.position",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await?
        });
        Ok(serde_json::json!(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: i64, kind: &str, choices: &[&str], required: bool) -> Question {
        Question {
            id,
            kind: kind.into(),
            label: format!("Question {id}"),
            choices: choices.iter().map(|c| (*c).to_owned()).collect(),
            required,
        }
    }

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn answers_are_read_per_kind_and_required_ones_are_named_at_their_field() {
        let qs = [
            q(1, "short_text", &[], true),
            q(2, "single_choice", &["Workshop A", "Workshop B"], true),
            q(
                3,
                "multiple_choice",
                &["Monday dinner", "Tuesday lunch"],
                false,
            ),
            q(4, "checkbox", &[], false),
        ];
        let ok = check_answers(
            &qs,
            &fields(&[
                ("q1", " Prosecutor "),
                ("q2", "1"),
                ("q3_0", "yes"),
                ("q3_1", "yes"),
            ]),
        )
        .unwrap();
        assert_eq!(
            ok,
            vec![
                (1, "Prosecutor".to_owned()),
                (2, "Workshop B".to_owned()),
                (3, "Monday dinner\nTuesday lunch".to_owned())
            ]
        );
        let errors = check_answers(&qs, &fields(&[("q2", "7")])).unwrap_err();
        let at: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(at, ["q1", "q2"], "{errors:?}");
        assert!(errors[1].message.contains("answers offered"));
    }

    #[test]
    fn a_question_needs_words_and_a_choice_needs_two_distinct_choices() {
        assert!(check_question("short_text", "Your role?", "").is_ok());
        let e = check_question("single_choice", "Which workshop?", "A\n\nA").unwrap_err();
        assert_eq!(e[0].field, "choices");
        let e = check_question("single_choice", "Which workshop?", "A").unwrap_err();
        assert!(e[0].message.contains("two"));
        let e = check_question("nonsense", "", "").unwrap_err();
        let at: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(at, ["kind", "label"]);
        let (_, _, choices) =
            check_question("multiple_choice", "Meals", " Lunch \nDinner\n").unwrap();
        assert_eq!(choices, ["Lunch", "Dinner"]);
    }

    #[test]
    fn stored_answers_fill_the_form_again() {
        let m = q(3, "multiple_choice", &["A", "B", "C"], false);
        assert_eq!(
            m.form_values("A\nC"),
            vec![("q3_0".into(), "yes".into()), ("q3_2".into(), "yes".into())]
        );
        let s = q(2, "single_choice", &["A", "B"], false);
        assert_eq!(s.form_values("B"), vec![("q2".into(), "1".into())]);
        assert_eq!(answer_text("multiple_choice", "A\nC"), "A; C");
        assert_eq!(answer_text("checkbox", "yes"), "Yes");
    }
}
