//! Quick-add: one line of text becomes a task's title, due date, priority,
//! tags and recurrence. Dates are read in the user's time zone relative to
//! `now`; nothing here reads the clock.
//!
//! Rules, matched case-insensitively as whole words; punctuation around a
//! word (`tomorrow,` `(friday)`) does not stop it matching:
//!
//! - **Priority**: `!urgent` `!high` `!medium` `!low` `!none`, `!1`..`!4` and
//!   `p1`..`p4` (1 = urgent, 4 = low). The last one wins; all are removed.
//! - **Tags**: `#word` with letters, digits, `-`, `_`, `/` and at least one
//!   letter (`#42` stays in the title, like an issue number). Lower-cased,
//!   duplicates dropped, at most 20 of at most 32 characters; others stay in the title.
//! - **Project and section**: `+Name` names a project and `/Name` a section
//!   of it: letters, digits, `-` and `_` with at least one letter (`+1` and
//!   `1/2` stay in the title). The last of each wins; both are removed. The
//!   names are only read here; which project they mean is the caller's business.
//! - **Quotes**: text in `"…"` (also `“…”`, `„…“`, `«…»`) is never parsed and
//!   stays in the title with its quotes. A quote opens only at the start of a
//!   word, so `12" pipe` is plain text; an unclosed quote is plain text.
//! - **Dates** (a date without a time gives `Due::On`):
//!   - `today`, `tomorrow`/`tmrw`, `the day after tomorrow`; `yesterday` is not a due date.
//!   - `friday`: the next Friday strictly after today. `this friday`: today if
//!     it is Friday, else the next one. `next friday`: the Friday of next week,
//!     weeks starting on `week_start` (so on a Saturday, with weeks from Monday,
//!     `friday` and `next friday` are the same day). Abbreviations (`fri`) only
//!     count after `on`, `by`, `due`, `this`, `next` or `every`, since `sun` and
//!     `sat` are ordinary words.
//!   - `next week`: the first day of next week; `next month`, `next year`:
//!     their first day; `end of week`: the last day of this week (per
//!     `week_start`); `end of month`, `end of year`, `end of day` (today).
//!   - `this weekend`, `over the weekend`: Saturday, or today on a Saturday or
//!     Sunday; `next weekend`: the Saturday of next week. A bare `weekend`
//!     counts only at the end of a clause (`laundry weekend`, not `weekend trip`).
//!   - `in 3 days`, `in two weeks`, `in a month` (month ends clamp).
//!   - `dec 25`, `december 25th`, `25 dec`, `the 25th of december`, with an
//!     optional year (`dec 25, 2027`): without a year, the next such day from
//!     today. A month name alone (`March for science`, `May I`) is not a date,
//!     nor is a number before the verb "may" (`Chapter 3 may be late`).
//!   - `2026-12-01`; `12/25` and `12/25/2027` are month/day, but `25/12` (first
//!     number over 12) is read as day/month. Fractions like `1/2` look the same:
//!     quote them.
//! - **Times** (a time gives `Due::At`): `5pm`, `5 pm`, `5:30pm`, `17:30`, `at 17`
//!   (a bare number needs `at` and is 24-hour), `noon`, `midnight` (23:59, the
//!   end of the day). `morning` 09:00, `afternoon` 15:00, `evening` 18:00 and
//!   `night` 20:00 count right after a date (`tomorrow morning`) or as `this
//!   evening` (today) or `in the morning`. `in 30 minutes`, `in an hour` are
//!   instants from `now`. `tonight` is today 20:00, or just today (no time) if
//!   it is already past 20:00. An explicit time overrides a part of day.
//! - A time without a date is today at that time, or tomorrow if that is not
//!   later than `now`. Local times in a DST gap move forward by the gap;
//!   ambiguous ones take the earlier instant.
//! - **Recurrence**: `every day`/`daily`, `every weekday`/`weekdays`, `every
//!   week`/`weekly`, `every 2 weeks`, `every other week`, `every month`/`monthly`,
//!   `every year`/`yearly`/`annually`, `every weekend`, `every monday`, `every mon
//!   and thu`, `every monday, wednesday`, `every month on the 1st`, `monthly on
//!   the 15th`, `every 1st`, `the 1st of every month`, `every 3 days` (1 to 365).
//!   The bare adverbs (`daily`, `monthly`, `weekdays`...) count only at the end
//!   of a clause, so `daily standup` and `monthly report` stay titles. Without
//!   an explicit date the due is the recurrence's first day from today; with a
//!   time, the first such day and time that is later than `now`.
//! - When a kind of phrase appears more than once (two dates, two times), the
//!   last one is used and the others stay in the title. A relative instant
//!   (`in 2 hours`) counts as the date, and a separate time is then left alone.
//! - **Title**: what remains once the used phrases and their connecting words
//!   (`on`, `at`, `by`, `due`, `@`, `every`) are removed, with whitespace
//!   collapsed. Punctuation that ended a removed phrase moves to the word before
//!   it when the sentence goes on (`Call mom, then…`) and `?`/`!` are kept at
//!   the end; dangling `,` `;` `:` `-` at either end are dropped. If nothing
//!   remains the title is the whole text, or "Untitled" for blank text.

use crate::zone::Zone;
use chrono::{
    DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, SecondsFormat, TimeDelta, Utc, Weekday,
};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::recurrence::{MAX_INTERVAL, Recurrence, Unit, WEEK, local_to_utc};
use crate::task::{self, Due, Priority, TAGS_MAX};

/// What a line of quick-add text means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuickAdd {
    /// Never empty.
    pub title: String,
    /// In JSON: `due_at` (RFC 3339, UTC) and `due_date` (`YYYY-MM-DD`), at most one not null.
    #[serde(flatten, serialize_with = "serialize_due")]
    pub due: Option<Due>,
    pub priority: Option<Priority>,
    /// Lower case, unique, in order of appearance.
    pub tags: Vec<String>,
    pub recurrence: Option<Recurrence>,
    /// `+Name`, as written (without the `+`).
    #[serde(skip)]
    pub project: Option<String>,
    /// `/Name`, as written (without the `/`).
    #[serde(skip)]
    pub section: Option<String>,
}

/// Where and when the text was typed.
#[derive(Debug, Clone, Copy)]
pub struct ParseContext {
    pub now: DateTime<Utc>,
    pub tz: Zone,
    pub week_start: Weekday,
}

/// Reads a line of quick-add text; see the module documentation for the rules.
pub fn parse(text: &str, context: &ParseContext) -> QuickAdd {
    let mut markup = Markup::default();
    let items: Vec<Item> = lex(text)
        .into_iter()
        .map(|piece| classify(piece, &mut markup))
        .collect();
    let Markup {
        tags,
        priority,
        project,
        section,
    } = markup;
    let local_now = context.now.with_timezone(&context.tz).naive_local();
    let scan = Scan {
        items: &items,
        now: context.now,
        today: local_now.date(),
        time_now: local_now.time(),
        week_start: context.week_start,
    };

    let found = scan.phrases();
    let last = |wanted: fn(&Found) -> bool| found.iter().rposition(|m| wanted(&m.found));
    let date = last(|f| matches!(f, Found::Date { .. } | Found::Instant(_)));
    // A relative instant ("in 2 hours") already has its time.
    let instant = date
        .and_then(|k| found.get(k))
        .is_some_and(|m| matches!(m.found, Found::Instant(_)));
    let time = if instant {
        None
    } else {
        last(|f| matches!(f, Found::Time(_)))
    };
    let repeat = last(|f| matches!(f, Found::Repeat(_)));

    // Markup is always removed; of the phrases, only the ones used.
    let mut used: Vec<Use> = items
        .iter()
        .map(|item| {
            if matches!(item.kind, Kind::Markup) {
                Use::End
            } else {
                Use::Kept
            }
        })
        .collect();
    for m in [date, time, repeat]
        .into_iter()
        .flatten()
        .filter_map(|k| found.get(k))
    {
        for slot in used.iter_mut().take(m.end).skip(m.start) {
            *slot = Use::Inside;
        }
        if let Some(slot) = used.get_mut(m.end.saturating_sub(1)) {
            *slot = Use::End;
        }
    }

    let pick = |k: Option<usize>| k.and_then(|k| found.get(k)).map(|m| &m.found);
    let explicit_time = match pick(time) {
        Some(Found::Time(t)) => Some(*t),
        _ => None,
    };
    let recurrence = match pick(repeat) {
        Some(Found::Repeat(r)) => Some(r.clone()),
        _ => None,
    };
    let due = match pick(date) {
        Some(Found::Instant(at)) => Some(Due::At(*at)),
        Some(Found::Date { date, time }) => {
            Some(at_or_on(*date, explicit_time.or(*time), context.tz))
        }
        _ => undated_due(recurrence.as_ref(), explicit_time, context),
    };

    QuickAdd {
        title: title(text, &items, &used),
        due,
        priority,
        tags,
        recurrence,
        project,
        section,
    }
}

fn serialize_due<S: Serializer>(due: &Option<Due>, serializer: S) -> Result<S::Ok, S::Error> {
    let (at, date) = match due {
        Some(Due::At(at)) => (Some(at.to_rfc3339_opts(SecondsFormat::Secs, true)), None),
        Some(Due::On(date)) => (None, Some(date.format("%Y-%m-%d").to_string())),
        None => (None, None),
    };
    let mut map = serializer.serialize_map(Some(2))?;
    map.serialize_entry("due_at", &at)?;
    map.serialize_entry("due_date", &date)?;
    map.end()
}

fn at_or_on(date: NaiveDate, time: Option<NaiveTime>, tz: Zone) -> Due {
    time.and_then(|t| local_to_utc(date.and_time(t), tz))
        .map_or(Due::On(date), Due::At)
}

/// The due when the text names no date: from the recurrence, or a time alone.
fn undated_due(
    recurrence: Option<&Recurrence>,
    time: Option<NaiveTime>,
    context: &ParseContext,
) -> Option<Due> {
    let tz = context.tz;
    match (recurrence, time) {
        (Some(r), None) => Some(r.first_due(context.now, tz)),
        (Some(r), Some(t)) => {
            let Due::On(first) = r.first_due(context.now, tz) else {
                return None;
            };
            let due = at_or_on(first, Some(t), tz);
            Some(match due {
                Due::At(at) if at <= context.now => r.next_due(due, tz),
                _ => due,
            })
        }
        (None, Some(t)) => {
            let today = context.now.with_timezone(&tz).date_naive();
            let at = local_to_utc(today.and_time(t), tz)?;
            if at > context.now {
                return Some(Due::At(at));
            }
            let tomorrow = today.succ_opt()?;
            Some(at_or_on(tomorrow, Some(t), tz))
        }
        (None, None) => None,
    }
}

// ---------------------------------------------------------------------------
// Lexing: quoted segments and whitespace-separated words.

/// One quoted segment or word, as typed.
struct Piece<'a> {
    text: &'a str,
    quoted: bool,
    /// Directly after the previous piece, with no whitespace between.
    glued: bool,
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '“' => Some('”'),
        '„' => Some('“'),
        '«' => Some('»'),
        _ => None,
    }
}

fn lex<'a>(text: &'a str) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut word_start: Option<(usize, bool)> = None;
    let mut after_space = true;
    let mut pos = 0;
    // Closing quotes known to be absent from the rest of the text, so that
    // many unclosed quotes do not each scan to the end.
    let mut unclosed: Vec<char> = Vec::new();
    let flush = |pieces: &mut Vec<Piece<'a>>, start: Option<(usize, bool)>, end: usize| {
        if let Some((start, glued)) = start
            && let Some(word) = text.get(start..end)
        {
            pieces.push(Piece {
                text: word,
                quoted: false,
                glued,
            });
        }
    };
    while let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) {
        let next = pos + c.len_utf8();
        if c.is_whitespace() {
            flush(&mut pieces, word_start.take(), pos);
            after_space = true;
            pos = next;
            continue;
        }
        // A quote opens only where a word would start, and only if it closes.
        let close =
            closing_quote(c).filter(|close| word_start.is_none() && !unclosed.contains(close));
        let quote_end = close.and_then(|close| {
            let found = text.get(next..).and_then(|rest| rest.find(close));
            if found.is_none() {
                unclosed.push(close);
            }
            Some(next + found? + close.len_utf8())
        });
        if let Some(end) = quote_end
            && let Some(quoted) = text.get(pos..end)
        {
            pieces.push(Piece {
                text: quoted,
                quoted: true,
                glued: !after_space,
            });
            after_space = false;
            pos = end;
            continue;
        }
        if word_start.is_none() {
            word_start = Some((pos, !after_space));
        }
        after_space = false;
        pos = next;
    }
    flush(&mut pieces, word_start, pos);
    pieces
}

// ---------------------------------------------------------------------------
// Classifying pieces: words, and markup (tags, priorities) taken out at once.

struct Item<'a> {
    text: &'a str,
    glued: bool,
    /// Punctuation after the word (`,` in `tomorrow,`).
    trail: &'a str,
    kind: Kind,
}

enum Kind {
    /// The word lower-cased without surrounding punctuation; may be empty.
    Word(String),
    Quoted,
    /// A tag or priority, already recorded.
    Markup,
}

/// Punctuation that can end a clause or sentence.
const SENTENCE: &[char] = &[',', ';', ':', '.', '!', '?'];
const LEAD: &[char] = &['(', '[', '{', '"', '\'', '“', '‘', '«', '„', '¿', '¡'];
const TRAIL: &[char] = &[
    ',', '.', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '”', '’', '»', '…',
];

/// What the markup words of a text set.
#[derive(Default)]
struct Markup {
    tags: Vec<String>,
    priority: Option<Priority>,
    project: Option<String>,
    section: Option<String>,
}

fn classify<'a>(piece: Piece<'a>, found: &mut Markup) -> Item<'a> {
    let Piece {
        text,
        quoted,
        glued,
    } = piece;
    if quoted {
        return Item {
            text,
            glued,
            trail: "",
            kind: Kind::Quoted,
        };
    }
    let rest = text.trim_start_matches(LEAD);
    let core = rest.trim_end_matches(TRAIL);
    let trail = rest.get(core.len()..).unwrap_or("");
    let key = core.to_lowercase();
    let markup = if let Some(p) = priority_of(&key) {
        found.priority = Some(p);
        true
    } else if let Some(tag) = tag_of(core) {
        if found.tags.contains(&tag) {
            true
        } else if found.tags.len() < TAGS_MAX {
            found.tags.push(tag);
            true
        } else {
            false
        }
    } else if let Some(name) = name_of(core, '+') {
        found.project = Some(name.to_owned());
        true
    } else if let Some(name) = name_of(core, '/') {
        found.section = Some(name.to_owned());
        true
    } else {
        false
    };
    let kind = if markup {
        Kind::Markup
    } else {
        Kind::Word(key)
    };
    Item {
        text,
        glued,
        trail,
        kind,
    }
}

fn priority_of(key: &str) -> Option<Priority> {
    match key {
        "!urgent" | "!1" | "p1" => Some(Priority::Urgent),
        "!high" | "!2" | "p2" => Some(Priority::High),
        "!medium" | "!3" | "p3" => Some(Priority::Medium),
        "!low" | "!4" | "p4" => Some(Priority::Low),
        "!none" => Some(Priority::None),
        _ => None,
    }
}

/// The name of a `+Project` or `/Section` word.
fn name_of(core: &str, sigil: char) -> Option<&str> {
    let name = core.strip_prefix(sigil)?;
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_');
    let fits = name.chars().count() <= crate::project::NAME_MAX_CHARS;
    (fits && name.chars().all(allowed) && name.chars().any(char::is_alphabetic)).then_some(name)
}

fn tag_of(core: &str) -> Option<String> {
    let body = core.strip_prefix('#')?;
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '/');
    if !body.chars().all(allowed) || !body.chars().any(char::is_alphabetic) {
        return None;
    }
    task::tag(body).ok()
}

// ---------------------------------------------------------------------------
// Phrases.

/// What a phrase means.
enum Found {
    /// A day, maybe with a time of its own (`tonight`, `tomorrow morning`)
    /// that an explicit time overrides.
    Date {
        date: NaiveDate,
        time: Option<NaiveTime>,
    },
    Time(NaiveTime),
    /// An exact instant (`in 2 hours`).
    Instant(DateTime<Utc>),
    Repeat(Recurrence),
}

/// A phrase over items `start..end`, including its connecting words.
struct Match {
    start: usize,
    end: usize,
    found: Found,
}

/// How an item ends up: in the title, inside a used phrase, or ending one.
#[derive(Clone, Copy)]
enum Use {
    Kept,
    Inside,
    End,
}

/// Words that may precede a phrase and go with it.
const CONNECTORS: &[&str] = &["on", "at", "by", "due", "@"];
/// Words after which a weekday abbreviation counts as a day.
const DAY_CONNECTORS: &[&str] = &["on", "by", "due"];
const AND: &[&str] = &["and", "&", "+"];

struct Scan<'a, 'b> {
    items: &'b [Item<'a>],
    now: DateTime<Utc>,
    today: NaiveDate,
    time_now: NaiveTime,
    week_start: Weekday,
}

type Hit<T> = Option<(usize, T)>;

impl Scan<'_, '_> {
    /// The lower-cased word at `i` without its surrounding punctuation, if
    /// `i` is a word and that leaves something.
    fn key(&self, i: usize) -> Option<&str> {
        match &self.items.get(i)?.kind {
            Kind::Word(key) if !key.is_empty() => Some(key),
            _ => None,
        }
    }

    fn is(&self, i: usize, words: &[&str]) -> bool {
        self.key(i).is_some_and(|key| words.contains(&key))
    }

    /// Whether a phrase may go on past word `i`: no punctuation after it.
    fn open(&self, i: usize) -> bool {
        self.key(i).is_some() && self.items.get(i).is_some_and(|item| item.trail.is_empty())
    }

    fn trail(&self, i: usize) -> &str {
        self.items.get(i).map_or("", |item| item.trail)
    }

    /// Every phrase, left to right, without overlaps.
    fn phrases(&self) -> Vec<Match> {
        let mut found: Vec<Match> = Vec::new();
        let mut i = 0;
        while i < self.items.len() {
            let Some((len, mut what)) = self.phrase(i, true) else {
                i += 1;
                continue;
            };
            // Every matcher consumes a word; `max` just rules out a stuck loop.
            let mut end = i + len.max(1);
            // "tomorrow morning": a part of day right after a date gives its time.
            if let Found::Date {
                time: time @ None, ..
            } = &mut what
                && self.open(end - 1)
                && let Some(t) = self.key(end).and_then(part_of_day)
            {
                *time = Some(t);
                end += 1;
            }
            let free = found.last().map_or(0, |m| m.end);
            let mut start = i;
            while start > free
                && i - start < 2
                && (self.open(start - 1) || self.trail(start - 1) == ":")
                && self.is(start - 1, CONNECTORS)
            {
                start -= 1;
            }
            found.push(Match {
                start,
                end,
                found: what,
            });
            i = end;
        }
        found
    }

    /// The phrase starting at word `i`. `adverbs` is false while checking
    /// what follows an adverb, which keeps that check from recursing.
    fn phrase(&self, i: usize, adverbs: bool) -> Hit<Found> {
        let repeat = self.every(i).or_else(|| self.nth_of_every_month(i));
        let repeat = if adverbs {
            repeat.or_else(|| self.adverb(i))
        } else {
            repeat
        };
        if let Some((len, r)) = repeat {
            return Some((len, Found::Repeat(r)));
        }
        self.relative(i)
            .or_else(|| self.end_of(i))
            .or_else(|| self.next_or_this(i))
            .or_else(|| self.weekend(i, adverbs))
            .or_else(|| self.named_date(i))
            .or_else(|| self.numeric_date(i))
            .or_else(|| self.keyword_date(i))
            .or_else(|| self.weekday(i))
            .or_else(|| self.time(i))
    }

    /// Whether a clause ends after word `i`, so a bare adverb there is one
    /// (`water plants daily`) and not an adjective (`daily standup`).
    fn ends_clause(&self, i: usize) -> bool {
        self.clause_break(i) || (self.key(i + 1).is_some() && self.phrase(i + 1, false).is_some())
    }

    /// Punctuation, markup, a connector or the end of the text after word `i`.
    fn clause_break(&self, i: usize) -> bool {
        if !self.trail(i).is_empty() {
            return true;
        }
        match self.items.get(i + 1).map(|item| &item.kind) {
            None | Some(Kind::Markup) => true,
            Some(Kind::Quoted) => false,
            Some(Kind::Word(key)) => {
                !key.chars().any(char::is_alphanumeric) || self.is(i + 1, CONNECTORS)
            }
        }
    }

    // --- recurrence ---------------------------------------------------------

    /// `every …` / `each …`.
    fn every(&self, i: usize) -> Hit<Recurrence> {
        if !self.is(i, &["every", "each"]) || !self.open(i) {
            return None;
        }
        let j = i + 1;
        let key = self.key(j)?;
        let (len, r) = if key == "other" && self.open(j) {
            let unit = self.key(j + 1).and_then(calendar_unit)?;
            let (extra, r) = self.on_month_day(j + 1, 2, unit);
            (2 + extra, r)
        } else if let Some(n) = count(key).filter(|n| (1..=MAX_INTERVAL).contains(n)) {
            let unit = self
                .key(j + 1)
                .filter(|_| self.open(j))
                .and_then(calendar_unit)?;
            let (extra, r) = self.on_month_day(j + 1, n, unit);
            (2 + extra, r)
        } else if let Some(unit) = calendar_unit(key) {
            let (extra, r) = self.on_month_day(j, 1, unit);
            (1 + extra, r)
        } else if matches!(key, "weekday" | "weekdays" | "workday" | "workdays") {
            (1, Recurrence::Weekdays)
        } else if matches!(key, "weekend" | "weekends") {
            (
                1,
                Recurrence::OnWeekdays {
                    days: vec![Weekday::Sat, Weekday::Sun],
                },
            )
        } else if let Some(day) = ordinal(key) {
            let of = if self.open(j) {
                self.of_the_month(j + 1)
            } else {
                0
            };
            (1 + of, Recurrence::MonthDay { day, interval: 1 })
        } else {
            let (len, days) = self.weekday_list(j)?;
            (len, Recurrence::OnWeekdays { days })
        };
        Some((1 + len, r))
    }

    /// After a month unit ending at `unit_at`: an optional `on the 15th`.
    fn on_month_day(&self, unit_at: usize, interval: u32, unit: Unit) -> (usize, Recurrence) {
        let every = Recurrence::Every { interval, unit };
        if unit != Unit::Month || !self.open(unit_at) {
            return (0, every);
        }
        let mut k = unit_at + 1;
        for optional in ["on", "the"] {
            if self.is(k, &[optional]) && self.open(k) {
                k += 1;
            }
        }
        match self.key(k).and_then(ordinal) {
            Some(day) => (k - unit_at, Recurrence::MonthDay { day, interval }),
            None => (0, every),
        }
    }

    /// `of the month` / `of every month` / `of each month` / `of month` at `k`; its length or 0.
    fn of_the_month(&self, k: usize) -> usize {
        if !self.is(k, &["of"]) || !self.open(k) {
            return 0;
        }
        if self.is(k + 1, &["month"]) {
            return 2;
        }
        if self.is(k + 1, &["the", "every", "each"])
            && self.open(k + 1)
            && self.is(k + 2, &["month"])
        {
            return 3;
        }
        0
    }

    /// `[the] 1st of every month`.
    fn nth_of_every_month(&self, i: usize) -> Hit<Recurrence> {
        let k = if self.is(i, &["the"]) && self.open(i) {
            i + 1
        } else {
            i
        };
        let day = self.key(k).and_then(ordinal)?;
        let recurring = self.open(k)
            && self.is(k + 1, &["of"])
            && self.open(k + 1)
            && self.is(k + 2, &["every", "each"])
            && self.open(k + 2)
            && self.is(k + 3, &["month"]);
        recurring.then(|| (k + 4 - i, Recurrence::MonthDay { day, interval: 1 }))
    }

    /// `monday`, `mon and thu`, `monday, wednesday and friday`: sorted, unique.
    fn weekday_list(&self, j: usize) -> Hit<Vec<Weekday>> {
        let mut days = vec![self.key(j).and_then(any_weekday)?];
        let mut end = j + 1;
        loop {
            let last = end - 1;
            let comma = self.trail(last) == ",";
            if !comma && !self.open(last) {
                break;
            }
            let mut k = end;
            if self.is(k, AND) && self.open(k) {
                k += 1;
            } else if !comma {
                break;
            }
            let Some(day) = self.key(k).and_then(any_weekday) else {
                break;
            };
            days.push(day);
            end = k + 1;
        }
        days.sort_by_key(Weekday::num_days_from_monday);
        days.dedup();
        Some((end - j, days))
    }

    /// `daily`, `weekly`, `monthly [on the 15th]`, `yearly`, `annually`, `weekdays`,
    /// when they end a clause.
    fn adverb(&self, i: usize) -> Hit<Recurrence> {
        let every = |unit| Recurrence::Every { interval: 1, unit };
        let (len, r) = match self.key(i)? {
            "daily" => (1, every(Unit::Day)),
            "weekly" => (1, every(Unit::Week)),
            "monthly" => {
                let (extra, r) = self.on_month_day(i, 1, Unit::Month);
                (1 + extra, r)
            }
            "yearly" | "annually" => (1, every(Unit::Year)),
            "weekdays" => (1, Recurrence::Weekdays),
            _ => return None,
        };
        self.ends_clause(i + len - 1).then_some((len, r))
    }

    // --- dates --------------------------------------------------------------

    fn on(date: NaiveDate) -> Found {
        Found::Date { date, time: None }
    }

    /// `in 3 days`, `in an hour`, `in the evening`.
    fn relative(&self, i: usize) -> Hit<Found> {
        if !self.is(i, &["in"]) || !self.open(i) {
            return None;
        }
        if self.is(i + 1, &["the"]) && self.open(i + 1) {
            let t = self.key(i + 2).and_then(part_of_day)?;
            return Some((3, Found::Time(t)));
        }
        let amount = match self.key(i + 1)? {
            "a" | "an" => 1,
            key => count(key)?,
        };
        if !self.open(i + 1) {
            return None;
        }
        let key = self.key(i + 2)?;
        let minutes = match key {
            "minute" | "minutes" | "min" | "mins" => Some(i64::from(amount)),
            "hour" | "hours" | "hr" | "hrs" => Some(i64::from(amount) * 60),
            _ => None,
        };
        let found = match minutes {
            Some(minutes) => Found::Instant(
                self.now
                    .checked_add_signed(TimeDelta::try_minutes(minutes)?)?,
            ),
            None => Self::on(add(self.today, amount, calendar_unit(key)?)?),
        };
        Some((3, found))
    }

    /// `[the] end of [the|this] week|month|year|day`.
    fn end_of(&self, i: usize) -> Hit<Found> {
        let mut k = if self.is(i, &["the"]) && self.open(i) {
            i + 1
        } else {
            i
        };
        if !(self.is(k, &["end"]) && self.open(k) && self.is(k + 1, &["of"]) && self.open(k + 1)) {
            return None;
        }
        k += 2;
        if self.is(k, &["the", "this"]) && self.open(k) {
            k += 1;
        }
        let today = self.today;
        let date = match self.key(k)? {
            "day" => today,
            "week" => self.week_start_of(today)?.checked_add_days(Days::new(6))?,
            "month" => today.with_day(today.num_days_in_month().into())?,
            "year" => NaiveDate::from_ymd_opt(today.year(), 12, 31)?,
            _ => return None,
        };
        Some((k + 1 - i, Self::on(date)))
    }

    /// `next week|month|year|weekend|friday`, `this weekend|friday|morning`.
    fn next_or_this(&self, i: usize) -> Hit<Found> {
        let next = self.is(i, &["next"]);
        if !(next || self.is(i, &["this"])) || !self.open(i) {
            return None;
        }
        let key = self.key(i + 1)?;
        let today = self.today;
        let found = if next {
            let next_week = self.week_start_of(today)?.checked_add_days(Days::new(7))?;
            let in_next_week = |day: Weekday| {
                next_week.checked_add_days(Days::new(day.days_since(self.week_start).into()))
            };
            let date = match key {
                "week" => next_week,
                "month" => today.with_day(1)?.checked_add_months(Months::new(1))?,
                "year" => NaiveDate::from_ymd_opt(today.year().checked_add(1)?, 1, 1)?,
                "weekend" => in_next_week(Weekday::Sat)?,
                _ => in_next_week(any_weekday(key)?)?,
            };
            Self::on(date)
        } else if key == "weekend" {
            Self::on(self.weekend_day()?)
        } else if let Some(t) = part_of_day(key) {
            Found::Date {
                date: today,
                time: Some(t),
            }
        } else {
            let day = any_weekday(key)?;
            Self::on(today.checked_add_days(Days::new(day.days_since(today.weekday()).into()))?)
        };
        Some((2, found))
    }

    /// `over the weekend`; `[the] weekend` after a connector or ending a clause.
    fn weekend(&self, i: usize, bare: bool) -> Hit<Found> {
        let over =
            self.is(i, &["over"]) && self.open(i) && self.is(i + 1, &["the"]) && self.open(i + 1);
        let k = match (over, self.is(i, &["the"]) && self.open(i)) {
            (true, _) => i + 2,
            (false, true) => i + 1,
            (false, false) => i,
        };
        if !self.is(k, &["weekend"]) {
            return None;
        }
        let after_connector = i.checked_sub(1).is_some_and(|p| self.is(p, CONNECTORS));
        if !(over || after_connector || (bare && self.ends_clause(k))) {
            return None;
        }
        Some((k + 1 - i, Self::on(self.weekend_day()?)))
    }

    /// `dec 25`, `december 25th, 2027`, `25 dec`, `the 25th of december`.
    fn named_date(&self, i: usize) -> Hit<Found> {
        if let Some(month) = self.key(i).and_then(month_of)
            && (self.open(i) || self.trail(i) == ".")
            && let Some(day) = self.key(i + 1).and_then(day_of_month)
        {
            let (extra, year) = self.year_after(i + 1);
            return Some((2 + extra, Self::on(self.day_month(month, day, year)?)));
        }
        let k = if self.is(i, &["the"]) && self.open(i) {
            i + 1
        } else {
            i
        };
        let day = self
            .key(k)
            .and_then(day_of_month)
            .filter(|_| self.open(k))?;
        let m = if self.is(k + 1, &["of"]) && self.open(k + 1) {
            k + 2
        } else {
            k + 1
        };
        let month = self.key(m).and_then(month_of)?;
        let (extra, year) = self.year_after(m);
        // "Chapter 3 may be late": before the verb "may", a plain number is a
        // date only where the clause ends.
        let modal = m == k + 1 && self.is(m, &["may"]) && self.key(k).and_then(ordinal).is_none();
        if modal && year.is_none() && !self.clause_break(m) && self.time(m + 1).is_none() {
            return None;
        }
        Some((
            m + 1 - i + extra,
            Self::on(self.day_month(month, day, year)?),
        ))
    }

    /// A four-digit year right after word `k` (`dec 25 2027`, `dec 25, 2027`).
    fn year_after(&self, k: usize) -> (usize, Option<i32>) {
        let year = self
            .key(k + 1)
            .filter(|key| key.len() == 4)
            .and_then(digits);
        match year {
            Some(year) if self.open(k) || self.trail(k) == "," => (1, i32::try_from(year).ok()),
            _ => (0, None),
        }
    }

    /// That day in `year`, or without a year the next such day from today.
    fn day_month(&self, month: u32, day: u32, year: Option<i32>) -> Option<NaiveDate> {
        if let Some(year) = year {
            return NaiveDate::from_ymd_opt(year, month, day);
        }
        // Up to 8 years ahead so that Feb 29 finds its leap year.
        (0..=8)
            .filter_map(|ahead| self.today.year().checked_add(ahead))
            .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
            .find(|date| *date >= self.today)
    }

    /// `2026-12-01`, `12/25`, `12/25/2027`, `25/12`.
    fn numeric_date(&self, i: usize) -> Hit<Found> {
        let key = self.key(i)?;
        let date = if key.contains('-') {
            let mut parts = key.split('-');
            let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
                return None;
            }
            NaiveDate::from_ymd_opt(i32::try_from(digits(y)?).ok()?, digits(m)?, digits(d)?)?
        } else {
            let mut parts = key.split('/');
            let (first, second) = (parts.next()?, parts.next()?);
            let year = parts.next();
            if parts.next().is_some() || first.len() > 2 || second.len() > 2 {
                return None;
            }
            let (first, second) = (digits(first)?, digits(second)?);
            let (month, day) = if first > 12 && second <= 12 {
                (second, first)
            } else {
                (first, second)
            };
            let year = match year {
                Some(year) if year.len() == 4 => Some(i32::try_from(digits(year)?).ok()?),
                Some(_) => return None,
                None => None,
            };
            self.day_month(month, day, year)?
        };
        Some((1, Self::on(date)))
    }

    /// `today`, `tonight`, `tomorrow`, `[the] day after tomorrow`.
    fn keyword_date(&self, i: usize) -> Hit<Found> {
        let today = self.today;
        let found = match self.key(i)? {
            "today" => Self::on(today),
            "tomorrow" | "tmrw" => Self::on(today.succ_opt()?),
            "tonight" => {
                let eight = NaiveTime::from_hms_opt(20, 0, 0)?;
                let time = (self.time_now < eight).then_some(eight);
                Found::Date { date: today, time }
            }
            _ => {
                let k = if self.is(i, &["the"]) && self.open(i) {
                    i + 1
                } else {
                    i
                };
                let phrase = self.is(k, &["day"])
                    && self.open(k)
                    && self.is(k + 1, &["after"])
                    && self.open(k + 1)
                    && self.is(k + 2, &["tomorrow"]);
                return phrase
                    .then(|| today.checked_add_days(Days::new(2)))
                    .flatten()
                    .map(|date| (k + 3 - i, Self::on(date)));
            }
        };
        Some((1, found))
    }

    /// `friday` (strictly after today), or `fri` after `on`/`by`/`due`.
    fn weekday(&self, i: usize) -> Hit<Found> {
        let key = self.key(i)?;
        let day = match full_weekday(key) {
            Some(day) => day,
            None => {
                let after_connector = i.checked_sub(1).is_some_and(|p| self.is(p, DAY_CONNECTORS));
                short_weekday(key).filter(|_| after_connector)?
            }
        };
        let ahead = match day.days_since(self.today.weekday()) {
            0 => 7,
            n => n,
        };
        Some((
            1,
            Self::on(self.today.checked_add_days(Days::new(ahead.into()))?),
        ))
    }

    /// Saturday, or today during a weekend.
    fn weekend_day(&self) -> Option<NaiveDate> {
        let today = self.today;
        let ahead = match today.weekday() {
            Weekday::Sat | Weekday::Sun => 0,
            day => Weekday::Sat.days_since(day),
        };
        today.checked_add_days(Days::new(ahead.into()))
    }

    fn week_start_of(&self, date: NaiveDate) -> Option<NaiveDate> {
        date.checked_sub_days(Days::new(date.weekday().days_since(self.week_start).into()))
    }

    // --- times --------------------------------------------------------------

    /// A clock time, or `at 17` (a bare hour needs `at`).
    fn time(&self, i: usize) -> Hit<Found> {
        if let Some((len, t)) = self.clock(i) {
            return Some((len, Found::Time(t)));
        }
        if !self.is(i, &["at", "@"]) || !self.open(i) {
            return None;
        }
        if let Some((len, t)) = self.clock(i + 1) {
            return Some((len + 1, Found::Time(t)));
        }
        let key = self.key(i + 1).filter(|key| key.len() <= 2)?;
        let t = NaiveTime::from_hms_opt(digits(key)?, 0, 0)?;
        Some((2, Found::Time(t)))
    }

    /// `5pm`, `5:30pm`, `5 pm`, `17:30`, `noon`, `midnight`.
    fn clock(&self, i: usize) -> Hit<NaiveTime> {
        let key = self.key(i)?;
        match key {
            "noon" | "midday" => return Some((1, NaiveTime::from_hms_opt(12, 0, 0)?)),
            "midnight" => return Some((1, NaiveTime::from_hms_opt(23, 59, 0)?)),
            _ => {}
        }
        for (suffix, pm) in [("am", false), ("a.m", false), ("pm", true), ("p.m", true)] {
            if let Some(number) = key.strip_suffix(suffix)
                && let Some(t) = twelve_hour(number, pm)
            {
                return Some((1, t));
            }
        }
        if self.open(i) {
            let pm = match self.key(i + 1) {
                Some("am" | "a.m") => Some(false),
                Some("pm" | "p.m") => Some(true),
                _ => None,
            };
            if let Some(t) = pm.and_then(|pm| twelve_hour(key, pm)) {
                return Some((2, t));
            }
        }
        let (hour, minute) = key.split_once(':')?;
        if hour.is_empty() || hour.len() > 2 || minute.len() != 2 {
            return None;
        }
        Some((
            1,
            NaiveTime::from_hms_opt(digits(hour)?, digits(minute)?, 0)?,
        ))
    }
}

/// `5`, `5:30` or `5.30` on a 12-hour clock.
fn twelve_hour(number: &str, pm: bool) -> Option<NaiveTime> {
    let (hour, minute) = match number.split_once([':', '.']) {
        Some((hour, minute)) if minute.len() == 2 => (hour, digits(minute)?),
        Some(_) => return None,
        None => (number, 0),
    };
    if hour.is_empty() || hour.len() > 2 {
        return None;
    }
    let hour = digits(hour)?;
    if !(1..=12).contains(&hour) {
        return None;
    }
    NaiveTime::from_hms_opt(hour % 12 + if pm { 12 } else { 0 }, minute, 0)
}

fn part_of_day(key: &str) -> Option<NaiveTime> {
    let hour = match key {
        "morning" => 9,
        "afternoon" => 15,
        "evening" => 18,
        "night" => 20,
        _ => return None,
    };
    NaiveTime::from_hms_opt(hour, 0, 0)
}

/// `date` plus `amount` units; months clamp to the month's end.
fn add(date: NaiveDate, amount: u32, unit: Unit) -> Option<NaiveDate> {
    match unit {
        Unit::Day => date.checked_add_days(Days::new(amount.into())),
        Unit::Week => date.checked_add_days(Days::new(u64::from(amount) * 7)),
        Unit::Month => date.checked_add_months(Months::new(amount)),
        Unit::Year => date.checked_add_months(Months::new(amount.checked_mul(12)?)),
    }
}

/// Only ASCII digits, at most 9 of them (so `+5` and `٣` are not numbers).
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

const NUMBER_WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

fn count(key: &str) -> Option<u32> {
    digits(key).or_else(|| {
        let index = NUMBER_WORDS.iter().position(|word| *word == key)?;
        u32::try_from(index + 1).ok()
    })
}

/// `1st`, `2nd`, `23rd`, `15th` as a day of the month.
fn ordinal(key: &str) -> Option<u8> {
    let number = ["st", "nd", "rd", "th"]
        .into_iter()
        .find_map(|suffix| key.strip_suffix(suffix))?;
    let day = u8::try_from(digits(number)?).ok()?;
    (1..=31).contains(&day).then_some(day)
}

/// `25` or `25th`.
fn day_of_month(key: &str) -> Option<u32> {
    let day = match ordinal(key) {
        Some(day) => u32::from(day),
        None => digits(key).filter(|_| key.len() <= 2)?,
    };
    (1..=31).contains(&day).then_some(day)
}

fn calendar_unit(key: &str) -> Option<Unit> {
    match key {
        "day" | "days" => Some(Unit::Day),
        "week" | "weeks" | "wk" | "wks" => Some(Unit::Week),
        "month" | "months" => Some(Unit::Month),
        "year" | "years" | "yr" | "yrs" => Some(Unit::Year),
        _ => None,
    }
}

const FULL_WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn full_weekday(key: &str) -> Option<Weekday> {
    let index = FULL_WEEKDAYS.iter().position(|name| *name == key)?;
    WEEK.get(index).copied()
}

fn short_weekday(key: &str) -> Option<Weekday> {
    match key {
        "mon" => Some(Weekday::Mon),
        "tue" | "tues" => Some(Weekday::Tue),
        "wed" | "weds" => Some(Weekday::Wed),
        "thu" | "thur" | "thurs" => Some(Weekday::Thu),
        "fri" => Some(Weekday::Fri),
        "sat" => Some(Weekday::Sat),
        "sun" => Some(Weekday::Sun),
        _ => None,
    }
}

/// A full, short or plural (`mondays`) weekday name.
fn any_weekday(key: &str) -> Option<Weekday> {
    full_weekday(key)
        .or_else(|| short_weekday(key))
        .or_else(|| key.strip_suffix('s').and_then(full_weekday))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `march`, `mar`, `sept` as 1..=12.
fn month_of(key: &str) -> Option<u32> {
    let key = if key == "sept" { "sep" } else { key };
    let index = MONTHS
        .iter()
        .position(|name| *name == key || (key.len() == 3 && name.starts_with(key)))?;
    u32::try_from(index + 1).ok()
}

// ---------------------------------------------------------------------------
// The title.

/// Adds `punctuation` to the last piece unless that already ends a clause.
fn append_punctuation(pieces: &mut [String], punctuation: &str) {
    if let Some(last) = pieces.last_mut()
        && !last.ends_with(SENTENCE)
    {
        last.push_str(punctuation);
    }
}

/// Characters that mean nothing on their own at either end of a title.
const DANGLING: &[char] = &['-', '–', '—', ',', ';', ':', '&', '@', '|', '/', '+'];

fn title(text: &str, items: &[Item], used: &[Use]) -> String {
    let mut pieces: Vec<String> = Vec::new();
    // Punctuation that ended a removed phrase, for the word before it.
    let mut pending = String::new();
    let mut previous_kept = false;
    for (item, use_) in items.iter().zip(used) {
        match use_ {
            Use::Kept => {
                append_punctuation(&mut pieces, &pending);
                pending.clear();
                match pieces.last_mut() {
                    Some(last) if item.glued && previous_kept => last.push_str(item.text),
                    _ => pieces.push(item.text.to_owned()),
                }
                previous_kept = true;
            }
            Use::Inside => previous_kept = false,
            Use::End => {
                pending = item
                    .trail
                    .chars()
                    .filter(|c| SENTENCE.contains(c))
                    .collect();
                previous_kept = false;
            }
        }
    }
    // At the very end only a question or exclamation mark is worth keeping.
    pending.retain(|c| matches!(c, '?' | '!'));
    append_punctuation(&mut pieces, &pending);
    let dangling = |piece: &String| piece.chars().all(|c| DANGLING.contains(&c));
    while pieces.last().is_some_and(dangling) {
        pieces.pop();
    }
    let first_kept = pieces
        .iter()
        .position(|piece| !dangling(piece))
        .unwrap_or(pieces.len());
    pieces.drain(..first_kept);
    if let Some(last) = pieces.last_mut() {
        let trimmed = last.trim_end_matches([',', ';', ':']).len();
        last.truncate(trimmed);
    }
    let title = pieces.join(" ");
    if !title.is_empty() {
        return title;
    }
    let whole = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if whole.is_empty() {
        "Untitled".to_owned()
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::known::{Berlin, New_York, UTC};
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn context(now: &str, tz: Zone, week_start: Weekday) -> ParseContext {
        ParseContext {
            now: utc(now),
            tz,
            week_start,
        }
    }

    /// An expected result, built up: `t("title").on(2026, 11, 26).p(High)`.
    fn t(title: &str) -> QuickAdd {
        QuickAdd {
            title: title.into(),
            due: None,
            priority: None,
            tags: vec![],
            recurrence: None,
            project: None,
            section: None,
        }
    }

    impl QuickAdd {
        fn on(mut self, y: i32, m: u32, d: u32) -> Self {
            self.due = Some(Due::On(NaiveDate::from_ymd_opt(y, m, d).unwrap()));
            self
        }
        fn at(mut self, instant: &str) -> Self {
            self.due = Some(Due::At(utc(instant)));
            self
        }
        fn p(mut self, priority: Priority) -> Self {
            self.priority = Some(priority);
            self
        }
        fn tags(mut self, tags: &[&str]) -> Self {
            self.tags = tags.iter().map(|tag| tag.to_string()).collect();
            self
        }
        fn every(mut self, recurrence: Recurrence) -> Self {
            self.recurrence = Some(recurrence);
            self
        }
        fn in_section(mut self, section: &str) -> Self {
            self.section = Some(section.into());
            self
        }
        fn in_project(mut self, project: &str, section: Option<&str>) -> Self {
            self.project = Some(project.into());
            self.section = section.map(Into::into);
            self
        }
    }

    fn every(interval: u32, unit: Unit) -> Recurrence {
        Recurrence::Every { interval, unit }
    }

    fn days(days: &[Weekday]) -> Recurrence {
        Recurrence::OnWeekdays {
            days: days.to_vec(),
        }
    }

    fn month_day(day: u8, interval: u32) -> Recurrence {
        Recurrence::MonthDay { day, interval }
    }

    /// Checks every case and reports all mismatches at once.
    fn check(context: &ParseContext, cases: Vec<(&str, QuickAdd)>) {
        let failures: Vec<String> = cases
            .into_iter()
            .filter_map(|(text, expected)| {
                let got = parse(text, context);
                (got != expected)
                    .then(|| format!("{text:?}\n  got      {got:?}\n  expected {expected:?}"))
            })
            .collect();
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Wednesday 2026-11-25, 10:00 in New York (EST, UTC-5); weeks start on Monday.
    #[test]
    #[rustfmt::skip] // one case per line reads better than rustfmt's layout
    fn phrases_in_new_york() {
        use Priority::*;
        use Weekday::*;
        let ny = context("2026-11-25T15:00:00Z", New_York, Mon);
        check(&ny, vec![
            // The brief's examples.
            ("Pay rent every month on the 1st !high #home", t("Pay rent").on(2026, 12, 1).p(High).tags(&["home"]).every(month_day(1, 1))),
            ("Call mom tomorrow 6pm !high #family", t("Call mom").at("2026-11-26T23:00:00Z").p(High).tags(&["family"])),
            ("buy milk tomorrow 5pm", t("buy milk").at("2026-11-26T22:00:00Z")),
            ("Submit report friday", t("Submit report").on(2026, 11, 27)),
            ("meeting next friday at 10:30", t("meeting").at("2026-12-04T15:30:00Z")),
            ("dentist in 3 days", t("dentist").on(2026, 11, 28)),
            ("standup every weekday at 9am", t("standup").at("2026-11-26T14:00:00Z").every(Recurrence::Weekdays)),
            ("gym every mon and thu 7am", t("gym").at("2026-11-26T12:00:00Z").every(days(&[Mon, Thu]))),
            ("water plants every 3 days", t("water plants").on(2026, 11, 25).every(every(3, Unit::Day))),
            ("Renew passport dec 25", t("Renew passport").on(2026, 12, 25)),
            ("Read \"Friday\" by Bob tomorrow", t("Read \"Friday\" by Bob").on(2026, 11, 26)),
            ("March for science", t("March for science")),
            ("May I call?", t("May I call?")),
            ("p1 fix prod", t("fix prod").p(Urgent)),
            ("#work #Work review PRs", t("review PRs").tags(&["work"])),
            // Projects and sections.
            ("Buy milk +Groceries", t("Buy milk").in_project("Groceries", Option::None)),
            ("Draft report +Work /Next-week friday", t("Draft report").on(2026, 11, 27).in_project("Work", Some("Next-week"))),
            ("+Home +Garden rake leaves", t("rake leaves").in_project("Garden", Option::None)),
            ("call /Later", t("call").in_section("Later")),
            ("Add 1/2 cup +1 and/or 12/25 / +", t("Add 1/2 cup +1 and/or").on(2026, 12, 25)),
            ("end of month invoice", t("invoice").on(2026, 11, 30)),
            ("tonight dinner", t("dinner").at("2026-11-26T01:00:00Z")),
            ("lunch at noon", t("lunch").at("2026-11-25T17:00:00Z")),
            ("call at 17:30", t("call").at("2026-11-25T22:30:00Z")),
            ("taxes 2027-04-15", t("taxes").on(2027, 4, 15)),
            ("Just a title", t("Just a title")),
            // Words that only look like dates stay in the title.
            ("second breakfast", t("second breakfast")),
            ("Call mom", t("Call mom")),
            ("talk about yesterday", t("talk about yesterday")),
            ("daily standup", t("daily standup")),
            ("prepare monthly report", t("prepare monthly report")),
            ("Plan weekend trip", t("Plan weekend trip")),
            ("buy sun cream", t("buy sun cream")),
            ("fix issue #42", t("fix issue #42")),
            ("pay on the 1st", t("pay on the 1st")),
            ("Quote \"every day at 5pm\" later", t("Quote \"every day at 5pm\" later")),
            ("Watch \"Monday Night Football\"", t("Watch \"Monday Night Football\"")),
            ("mow lawn every 400 days", t("mow lawn every 400 days")),
            ("12\" pipe", t("12\" pipe")),
            ("Chapter 3 may be late", t("Chapter 3 may be late")),
            ("Meet at the park at 5pm", t("Meet at the park").at("2026-11-25T22:00:00Z")),
            // Dates.
            ("review today", t("review").on(2026, 11, 25)),
            ("tomorrow", t("tomorrow").on(2026, 11, 26)),
            ("on friday: demo", t("demo").on(2026, 11, 27)),
            ("report due by friday.", t("report").on(2026, 11, 27)),
            ("report due: friday", t("report").on(2026, 11, 27)),
            ("yoga on sat", t("yoga").on(2026, 11, 28)),
            ("call bob this friday", t("call bob").on(2026, 11, 27)),
            ("retro this wednesday", t("retro").on(2026, 11, 25)),
            ("plan next week", t("plan").on(2026, 11, 30)),
            ("review next monday", t("review").on(2026, 11, 30)),
            ("sync next wednesday", t("sync").on(2026, 12, 2)),
            ("hike this weekend", t("hike").on(2026, 11, 28)),
            ("laundry weekend", t("laundry").on(2026, 11, 28)),
            ("paint fence over the weekend", t("paint fence").on(2026, 11, 28)),
            ("timesheet end of week", t("timesheet").on(2026, 11, 29)),
            ("budget by the end of the month", t("budget").on(2026, 11, 30)),
            ("visit the day after tomorrow", t("visit").on(2026, 11, 27)),
            ("report in 2 weeks", t("report").on(2026, 12, 9)),
            ("renew in 1 month", t("renew").on(2026, 12, 25)),
            ("call in two days", t("call").on(2026, 11, 27)),
            ("pay bills on dec 1st", t("pay bills").on(2026, 12, 1)),
            ("anniversary 25 december", t("anniversary").on(2026, 12, 25)),
            ("party 3 may", t("party").on(2027, 5, 3)),
            ("party 3rd may 8pm", t("party").at("2027-05-04T00:00:00Z")),
            ("call jan 3rd", t("call").on(2027, 1, 3)),
            ("gift dec 25, 2027", t("gift").on(2027, 12, 25)),
            ("party the 31st of december", t("party").on(2026, 12, 31)),
            ("present 12/25", t("present").on(2026, 12, 25)),
            ("pick up 1/5", t("pick up").on(2027, 1, 5)),
            ("holiday 25/12", t("holiday").on(2026, 12, 25)),
            // Times.
            ("coffee at 9am", t("coffee").at("2026-11-26T14:00:00Z")),
            ("12pm lunch", t("lunch").at("2026-11-25T17:00:00Z")),
            ("call at 17", t("call").at("2026-11-25T22:00:00Z")),
            ("Lunch @ 12:30", t("Lunch").at("2026-11-25T17:30:00Z")),
            ("sleep at midnight", t("sleep").at("2026-11-26T04:59:00Z")),
            ("flight friday 5:30pm", t("flight").at("2026-11-27T22:30:00Z")),
            ("dinner 7 pm tomorrow", t("dinner").at("2026-11-27T00:00:00Z")),
            ("party december 31 9pm", t("party").at("2027-01-01T02:00:00Z")),
            ("meeting 2026-12-01 10:00", t("meeting").at("2026-12-01T15:00:00Z")),
            ("jog tomorrow morning", t("jog").at("2026-11-26T14:00:00Z")),
            ("jog tomorrow morning at 7am", t("jog").at("2026-11-26T12:00:00Z")),
            ("review friday evening", t("review").at("2026-11-27T23:00:00Z")),
            ("read in the evening", t("read").at("2026-11-25T23:00:00Z")),
            ("call this afternoon", t("call").at("2026-11-25T20:00:00Z")),
            ("stretch in an hour", t("stretch").at("2026-11-25T16:00:00Z")),
            ("tea in 30 minutes", t("tea").at("2026-11-25T15:30:00Z")),
            ("check oven in 2 hours at 5pm", t("check oven at 5pm").at("2026-11-25T17:00:00Z")),
            // Recurrence.
            ("every day", t("every day").on(2026, 11, 25).every(every(1, Unit::Day))),
            ("journal daily", t("journal").on(2026, 11, 25).every(every(1, Unit::Day))),
            ("feed cat daily at 7am", t("feed cat").at("2026-11-26T12:00:00Z").every(every(1, Unit::Day))),
            ("sync weekly", t("sync").on(2026, 11, 25).every(every(1, Unit::Week))),
            ("backup every 2 weeks", t("backup").on(2026, 11, 25).every(every(2, Unit::Week))),
            ("retro every other week", t("retro").on(2026, 11, 25).every(every(2, Unit::Week))),
            ("renew domain annually", t("renew domain").on(2026, 11, 25).every(every(1, Unit::Year))),
            ("pay card monthly on the 15th", t("pay card").on(2026, 12, 15).every(month_day(15, 1))),
            ("invoice every 1st", t("invoice").on(2026, 12, 1).every(month_day(1, 1))),
            ("rent on the 1st of every month", t("rent").on(2026, 12, 1).every(month_day(1, 1))),
            ("report every 3 months on the 25th", t("report").on(2026, 11, 25).every(month_day(25, 3))),
            ("team lunch every monday, wednesday", t("team lunch").on(2026, 11, 25).every(days(&[Mon, Wed]))),
            ("stretch every monday at 9am", t("stretch").at("2026-11-30T14:00:00Z").every(days(&[Mon]))),
            ("trash every thursday 7pm #home", t("trash").at("2026-11-27T00:00:00Z").tags(&["home"]).every(days(&[Thu]))),
            ("dishes every day at 8am", t("dishes").at("2026-11-26T13:00:00Z").every(every(1, Unit::Day))),
            ("brunch every weekend", t("brunch").on(2026, 11, 28).every(days(&[Sat, Sun]))),
            ("standup weekdays 9:15am", t("standup").at("2026-11-26T14:15:00Z").every(Recurrence::Weekdays)),
            ("birthday every year on dec 3", t("birthday").on(2026, 12, 3).every(every(1, Unit::Year))),
            ("class every fri, tue and thu", t("class").on(2026, 11, 26).every(days(&[Tue, Thu, Fri]))),
            // Priorities and tags.
            ("!urgent fix build", t("fix build").p(Urgent)),
            ("email !2", t("email").p(High)),
            ("P3 tidy desk", t("tidy desk").p(Medium)),
            ("nap !low", t("nap").p(Low)),
            ("thing !none", t("thing").p(Priority::None)),
            ("p4 then p1 wins", t("then wins").p(Urgent)),
            ("sort (#home) photos, #Family/2026", t("sort photos").tags(&["home", "family/2026"])),
            // Punctuation and the title.
            ("Buy milk tomorrow.", t("Buy milk").on(2026, 11, 26)),
            ("Call mom, tomorrow 6pm", t("Call mom").at("2026-11-26T23:00:00Z")),
            ("Can we meet tomorrow?", t("Can we meet?").on(2026, 11, 26)),
            ("Call mom tomorrow, then email Bob", t("Call mom, then email Bob").on(2026, 11, 26)),
            ("call (mom) tomorrow, then email", t("call (mom), then email").on(2026, 11, 26)),
            ("Buy milk - tomorrow", t("Buy milk").on(2026, 11, 26)),
            ("plan monday standup tomorrow", t("plan monday standup").on(2026, 11, 26)),
            ("  lots   of\tspace  ", t("lots of space")),
            ("   ", t("Untitled")),
            ("#home", t("#home").tags(&["home"])),
        ]);
    }

    /// Saturday 2026-11-28, 12:00 UTC; weeks start on Sunday.
    #[test]
    #[rustfmt::skip]
    fn phrases_in_utc_with_sunday_weeks() {
        let sat = context("2026-11-28T12:00:00Z", UTC, Weekday::Sun);
        check(&sat, vec![
            ("review next week", t("review").on(2026, 11, 29)),
            ("plan next friday", t("plan").on(2026, 12, 4)),
            ("plan friday", t("plan").on(2026, 12, 4)),
            ("shop saturday", t("shop").on(2026, 12, 5)),
            ("shop this saturday", t("shop").on(2026, 11, 28)),
            ("chores this weekend", t("chores").on(2026, 11, 28)),
            ("trip next weekend", t("trip").on(2026, 12, 5)),
            ("report end of week", t("report").on(2026, 11, 28)),
            ("film tonight", t("film").at("2026-11-28T20:00:00Z")),
            ("call at 5pm", t("call").at("2026-11-28T17:00:00Z")),
            ("call at 5 am", t("call").at("2026-11-29T05:00:00Z")),
            ("plan next month", t("plan").on(2026, 12, 1)),
            ("leap day feb 29", t("leap day").on(2028, 2, 29)),
            ("no such day feb 30", t("no such day feb 30")),
        ]);
    }

    /// Wednesday 2026-11-25, 22:30 in Berlin (CET, UTC+1).
    #[test]
    #[rustfmt::skip]
    fn phrases_in_berlin_late_evening() {
        let berlin = context("2026-11-25T21:30:00Z", Berlin, Weekday::Mon);
        check(&berlin, vec![
            ("tidy up tonight", t("tidy up").on(2026, 11, 25)),
            ("call tonight 23:00", t("call").at("2026-11-25T22:00:00Z")),
            ("call at 9", t("call").at("2026-11-26T08:00:00Z")),
            ("Standup every weekday at 9:15", t("Standup").at("2026-11-26T08:15:00Z").every(Recurrence::Weekdays)),
            ("check in 2 hours", t("check").at("2026-11-25T23:30:00Z")),
            ("Feiertag dec 24", t("Feiertag").on(2026, 12, 24)),
        ]);
    }

    /// Around New York's DST changes: 2026-11-01 (back) and 2026-03-08 (forward).
    #[test]
    #[rustfmt::skip]
    fn phrases_around_dst() {
        let autumn = context("2026-10-31T16:00:00Z", New_York, Weekday::Mon); // Sat 12:00 EDT
        check(&autumn, vec![
            ("run tomorrow 9am", t("run").at("2026-11-01T14:00:00Z")),
            // 01:30 happens twice; the earlier (EDT) one is used.
            ("backup tomorrow 1:30am", t("backup").at("2026-11-01T05:30:00Z")),
            ("standup every monday at 9am", t("standup").at("2026-11-02T14:00:00Z").every(days(&[Weekday::Mon]))),
        ]);
        let spring = context("2026-03-07T17:00:00Z", New_York, Weekday::Mon); // Sat 12:00 EST
        check(&spring, vec![
            // 02:30 does not exist; it moves forward to 03:30 EDT.
            ("deploy tomorrow 2:30am", t("deploy").at("2026-03-08T07:30:00Z")),
            ("run tomorrow 9am", t("run").at("2026-03-08T13:00:00Z")),
        ]);
    }

    #[test]
    fn at_most_twenty_tags_of_at_most_32_characters() {
        let ny = context("2026-11-25T15:00:00Z", New_York, Weekday::Mon);
        let text: Vec<String> = (0..22).map(|i| format!("#t{i}")).collect();
        let parsed = parse(&format!("many {}", text.join(" ")), &ny);
        assert_eq!(parsed.tags.len(), 20);
        assert_eq!(parsed.title, "many #t20 #t21");
        let long = format!("#{}", "x".repeat(33));
        assert_eq!(
            parse(&format!("long {long}"), &ny).title,
            format!("long {long}")
        );
    }

    #[test]
    fn json_shape() {
        let ny = context("2026-11-25T15:00:00Z", New_York, Weekday::Mon);
        let value =
            serde_json::to_value(parse("Call mom tomorrow 6pm !high #family", &ny)).unwrap();
        let expected = serde_json::json!({
            "title": "Call mom",
            "due_at": "2026-11-26T23:00:00Z",
            "due_date": null,
            "priority": "high",
            "tags": ["family"],
            "recurrence": null,
        });
        assert_eq!(value, expected);
        let value = serde_json::to_value(parse("rent every month on the 1st", &ny)).unwrap();
        assert_eq!(value["due_at"], serde_json::Value::Null);
        assert_eq!(value["due_date"], "2026-12-01");
        let recurrence = serde_json::json!({"kind": "month_day", "day": 1, "interval": 1});
        assert_eq!(value["recurrence"], recurrence);
    }

    /// Words the rules react to, for generating date-like text.
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "every", "each", "other", "on", "the", "of", "month", "at", "by", "due", "in", "an", "a",
        "next", "this", "end", "day", "days", "week", "weekend", "weekdays", "daily", "monthly",
        "tonight", "tomorrow", "today", "friday", "mon", "sun", "and", ",", "dec", "may", "25",
        "31st", "1st", "12/25", "13/13", "2026-02-29", "5pm", "5", "pm", "17:30", "99:99", "noon",
        "midnight", "morning", "!high", "p1", "#tag", "#Tag", "#42", "\"", "“", "”", "-", "?", "#",
        "!", "3", "hours", "minutes", "4294967295", "365", "366", "after", "over",
    ];

    fn sentence() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            3 => proptest::sample::select(WORDS).prop_map(str::to_owned),
            1 => any::<String>(),
            1 => "[#!\"“”a-zA-Z0-9:/.,-]{1,6}",
        ];
        proptest::collection::vec(word, 0..16).prop_map(|words| words.join(" "))
    }

    fn any_context() -> impl Strategy<Value = ParseContext> {
        let tz = proptest::sample::select(vec![
            UTC,
            New_York,
            Berlin,
            crate::zone::known::Apia,
            crate::zone::known::Lord_Howe,
        ]);
        let week_start = proptest::sample::select(WEEK.to_vec());
        // 1970-01-01 .. 2100-01-01
        (0i64..4_102_444_800, tz, week_start).prop_map(|(seconds, tz, week_start)| ParseContext {
            now: DateTime::from_timestamp(seconds, 0).unwrap(),
            tz,
            week_start,
        })
    }

    fn check_invariants(text: &str, parsed: &QuickAdd) -> Result<(), TestCaseError> {
        prop_assert!(
            !parsed.title.trim().is_empty(),
            "empty title for {:?}",
            text
        );
        prop_assert!(parsed.tags.len() <= 20);
        for (i, tag) in parsed.tags.iter().enumerate() {
            prop_assert!((1..=32).contains(&tag.chars().count()), "tag {:?}", tag);
            prop_assert_eq!(tag, &tag.to_lowercase());
            prop_assert!(!parsed.tags.iter().skip(i + 1).any(|other| other == tag));
        }
        if let Some(recurrence) = &parsed.recurrence {
            prop_assert_eq!(recurrence.validate(), Ok(()));
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(ProptestConfig::default().cases.max(2000)))]

        #[test]
        fn never_panics_on_any_text(text in any::<String>(), context in any_context()) {
            check_invariants(&text, &parse(&text, &context))?;
        }

        #[test]
        fn never_panics_on_date_like_text(text in sentence(), context in any_context()) {
            check_invariants(&text, &parse(&text, &context))?;
        }
    }
}
