//! The assistant's built-in understanding of a chat message, used when no
//! language model is configured: one message is one intent. Deterministic
//! and free of I/O; resolving "the meeting task" to a task is the caller's job.
//!
//! Patterns are tried in a fixed order (most specific first) over the whole
//! message, case-insensitively, after trailing `?`, `.` and `!` are dropped:
//!
//! - **help** and **greetings**: `help`, `what can you do`, `hi`, `thanks`.
//! - **suggestions**: `show my suggestions`, `accept suggestion 3`,
//!   `dismiss suggestion 3`.
//! - **priority**: `make the report high priority`, `set task 2 to low
//!   priority`, `set the priority of X to urgent`, `prioritize X`.
//! - **due date**: `move task 2 to friday`, `postpone X until next week`,
//!   `change the due date of X to tomorrow 5pm`, `X is due friday`.
//! - **reopen**: `reopen task 3`, `mark X as not done`.
//! - **complete**: `mark task 3 as complete`, `complete X`, `I finished X`,
//!   `X is done`, `done with X`.
//! - **delete**: `delete the meeting task`, `remove task 4`, `get rid of X`.
//! - **rename**: `change task 1 to 'Call mom tonight'`, `rename X to Y`.
//! - **listing**: `show me all my tasks`, `what's pending`, `what have I
//!   completed`, `what's overdue`, `what's due today`, `search for X`,
//!   `show tasks tagged work`.
//! - **projects** (only where the words name one of the user's projects,
//!   which the caller tells): `list my projects`, `create a project Garden`,
//!   `what's in Home`, `add milk to Groceries`, `move the report to Work`
//!   (a date there reschedules instead), `add a subtask buy paint to the
//!   garage task`.
//! - **add**: `add a task to buy groceries`, `remind me to X`, `I need to
//!   remember to X`, `don't forget to X`, `todo: X`; the text after the verb is
//!   quick-add text, so dates, `!priority` and `#tags` in it count.
//! - anything else that quick add finds structure in (a date, a priority, a
//!   tag, a recurrence) is a task to add; the rest is not understood.
//!
//! A task is named by its id (`task 3`, `#3`, `3`) or by words of its title
//! (`the meeting task` names "meeting": leading articles and a trailing
//! `task` are dropped).

use std::sync::LazyLock;

use regex_lite::{Captures, Regex};

use crate::Priority;

/// What a chat message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Add the task this quick-add text describes.
    Add {
        text: String,
    },
    List(ListFilter),
    Complete(TaskRef),
    Reopen(TaskRef),
    Delete(TaskRef),
    Rename {
        task: TaskRef,
        title: String,
    },
    SetPriority {
        task: TaskRef,
        priority: Priority,
    },
    /// Move a task to the due a quick-add phrase (`friday 5pm`) describes.
    Reschedule {
        task: TaskRef,
        when: String,
    },
    ListProjects,
    CreateProject {
        name: String,
    },
    /// Add the task this quick-add text describes to the named project.
    AddToProject {
        text: String,
        project: String,
    },
    MoveToProject {
        task: TaskRef,
        project: String,
    },
    /// Add the task this quick-add text describes as a subtask of `parent`.
    AddSubtask {
        parent: TaskRef,
        text: String,
    },
    ListSuggestions,
    AcceptSuggestion(i64),
    DismissSuggestion(i64),
    Help,
    Greeting,
    NotUnderstood,
}

/// Which tasks a listing shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListFilter {
    Pending,
    Completed,
    Overdue,
    All,
    DueWithin(Horizon),
    Search(String),
    Tag(String),
    /// The pending tasks of the project of this name.
    Project(String),
}

/// How far ahead "what's due ..." looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Horizon {
    Today,
    Tomorrow,
    ThisWeek,
}

/// How a message names a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskRef {
    Id(i64),
    /// Words of its title.
    Named(String),
}

type Build = fn(&Captures<'_>) -> Option<Intent>;

/// `(?i)` anchored patterns, tried in order; a builder may still decline
/// (`None`), for instance when a task reference is empty.
static RULES: LazyLock<Vec<(Regex, Build)>> = LazyLock::new(|| {
    let rules: Vec<(&str, Build)> = vec![
        (
            r"^(?:help|what can you do|how does (?:this|it) work|commands|what can i (?:say|ask)(?: you)?)$",
            |_| Some(Intent::Help),
        ),
        (
            r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|cheers)(?: there| you| a lot)?$",
            |_| Some(Intent::Greeting),
        ),
        (
            r"^(?:(?:show|list|get|see)(?: me)?(?: my| the| all)?(?: pending)? suggestions|(?:any|what are(?: my| the)?|do i have(?: any)?) suggestions|what do the agents suggest)$",
            |_| Some(Intent::ListSuggestions),
        ),
        (r"^accept suggestion (?:#|number |no\.? ?)?(\d+)$", |c| {
            number(c, 1).map(Intent::AcceptSuggestion)
        }),
        (
            r"^(?:dismiss|reject|ignore|decline) suggestion (?:#|number |no\.? ?)?(\d+)$",
            |c| number(c, 1).map(Intent::DismissSuggestion),
        ),
        // Priority, before rename and complete: "mark X as urgent".
        (
            r"^(?:set|change|make|update) (?:the )?priority (?:of|for|on) (.+?) (?:to|as) (urgent|high|medium|normal|low|none)$",
            |c| set_priority(c, 1, 2),
        ),
        (
            r"^(?:make|set|mark|flag|change|put) (.+?) (?:as |to |at )?(?:an? )?(urgent|high|medium|normal|low|no)(?: priority| prio)?$",
            |c| set_priority(c, 1, 2),
        ),
        (r"^(?:prioriti[sz]e|bump(?: up)?|escalate) (.+)$", |c| {
            Some(Intent::SetPriority {
                task: task_ref(&c[1])?,
                priority: Priority::High,
            })
        }),
        (r"^(?:de-?prioriti[sz]e|downgrade) (.+)$", |c| {
            Some(Intent::SetPriority {
                task: task_ref(&c[1])?,
                priority: Priority::Low,
            })
        }),
        // "what's due today" is a listing, not "what" being due.
        (
            r"^(?:what(?:'s| is| do i have)|(?:show|list)(?: me)?(?: my)?(?: tasks)?|tasks)(?: due)? (today|tomorrow|this week)$",
            |c| {
                let horizon = match c[1].to_ascii_lowercase().as_str() {
                    "today" => Horizon::Today,
                    "tomorrow" => Horizon::Tomorrow,
                    _ => Horizon::ThisWeek,
                };
                Some(Intent::List(ListFilter::DueWithin(horizon)))
            },
        ),
        // Due dates, before rename: "change the due date of X to friday".
        (
            r"^(?:move|reschedule|postpone|push(?: back)?|defer|delay|snooze) (.+?) (?:to|until|till|for|by) (.+)$",
            |c| reschedule(c, 1, 2),
        ),
        (
            r"^(?:change|set|update|move) (?:the )?(?:due date|deadline|due|date) (?:of|for|on) (.+?) to (.+)$",
            |c| reschedule(c, 1, 2),
        ),
        (r"^(.+?) is (?:now )?due (.+)$", |c| reschedule(c, 1, 2)),
        // Reopen before complete: "mark X as not done".
        (
            r"^(?:reopen|re-open|uncomplete|unmark|undo|restore) (.+)$",
            |c| task_ref(&c[1]).map(Intent::Reopen),
        ),
        (
            r"^mark (.+?) as (?:not done|not complete|incomplete|pending|open|undone|to ?do)$",
            |c| task_ref(&c[1]).map(Intent::Reopen),
        ),
        (
            r"^(?:mark|set|flag|tick|check) (.+?) (?:as |off as )?(?:complete|completed|done|finished|off)$",
            |c| task_ref(&c[1]).map(Intent::Complete),
        ),
        (
            r"^(?:i'?m done with|done with|complete|finish|check off|tick off|close)(?: off)? (.+)$",
            |c| task_ref(&c[1]).map(Intent::Complete),
        ),
        (
            r"^(?:i )?(?:just )?(?:finished|completed|did|have done|have finished|have completed|'ve done|'ve finished|'ve completed) (.+)$",
            |c| task_ref(&c[1]).map(Intent::Complete),
        ),
        (r"^(.+?) is (?:done|complete|completed|finished)$", |c| {
            task_ref(&c[1]).map(Intent::Complete)
        }),
        (
            r"^(?:delete|remove|drop|erase|trash|cancel|get rid of|forget about|scrap) (.+)$",
            |c| task_ref(&c[1]).map(Intent::Delete),
        ),
        (
            r"^(?:change|rename|update|edit|retitle|reword) (.+?) (?:to|as|into) (.+)$",
            |c| {
                let title = unquote(&c[2]);
                (!title.is_empty()).then_some(())?;
                Some(Intent::Rename {
                    task: task_ref(&c[1])?,
                    title: title.to_owned(),
                })
            },
        ),
        // Listings.
        (
            r"^(?:(?:show|list|display|give|get)(?: me)? (?:all|every|each)(?: of)?(?: my| the)? (?:tasks|todos|to-dos|items)|(?:all|every) (?:my )?tasks)$",
            |_| Some(Intent::List(ListFilter::All)),
        ),
        (
            r"^(?:what(?:'s| is| are|s)(?: still)? (?:pending|left|open|remaining|outstanding|on my (?:list|plate|to-?do list))|what (?:do|should) i (?:have|need) to do(?: next)?|what(?:'s| is) next|(?:show|list|display|get)(?: me)?(?: my| the)?(?: pending| open| current| remaining| outstanding)? (?:tasks|todos|to-dos|to-do list|todo list|list)|what are my tasks|my tasks|pending tasks|tasks)$",
            |_| Some(Intent::List(ListFilter::Pending)),
        ),
        (
            r"^(?:what (?:have|did) i (?:completed|complete|done|do|finished|finish|got done|get done)(?: so far| today| this week| lately| recently)?|(?:show|list|display|get)(?: me)?(?: my| the)? (?:completed|done|finished) (?:tasks|todos|items)|completed tasks)$",
            |_| Some(Intent::List(ListFilter::Completed)),
        ),
        (
            r"^(?:what(?:'s| is| are|s)(?: already)? (?:overdue|late|past due)|(?:is )?anything (?:overdue|late)|am i (?:behind|late)(?: on anything)?|what am i (?:late|behind) on|what did i miss|(?:show|list|display|get)(?: me)?(?: my| the)? (?:overdue|late) (?:tasks|todos|items)|overdue tasks|overdue)$",
            |_| Some(Intent::List(ListFilter::Overdue)),
        ),
        (
            r"^(?:(?:show|list|display|get)(?: me)?(?: my)?(?: tasks)? (?:tagged|with(?: the)? tag|labell?ed) #?([\w/-]+)|(?:show|list)(?: me)?(?: my)? #([\w/-]+)(?: tasks)?)$",
            |c| {
                let tag = c.get(1).or_else(|| c.get(2))?.as_str().to_lowercase();
                Some(Intent::List(ListFilter::Tag(tag)))
            },
        ),
        (
            r"^(?:search(?: for)?|find(?: me)?|look for|look up|(?:show|list)(?: me)?(?: my)? tasks (?:about|mentioning|matching|with)) (.+)$",
            |c| {
                let words = unquote(&c[1]);
                (!words.is_empty()).then(|| Intent::List(ListFilter::Search(words.to_owned())))
            },
        ),
        // Adding.
        (
            r"^(?:please )?(?:add|create|make|new|put|jot down|write down|note down|note|schedule)(?: me)?(?: (?:a|an|new|one|another))*(?: (?:task|todo|to-do|reminder|item|entry))?(?:\s*(?:to|for|that|saying|:|,|-))?\s+(.+)$",
            |c| add(&c[1]),
        ),
        (r"^(?:please )?remind me (?:to |about |of )?(.+)$", |c| {
            add(&c[1])
        }),
        (
            r"^(?:i (?:need|have|want|must|should|gotta|got|ought) to|i must|i should|i need|don'?t (?:let me )?forget (?:to )?|remember to|(?:to-?do|task)\s*:)\s*(?:remember to |do )?(.+)$",
            |c| add(&c[1]),
        ),
    ];
    rules
        .into_iter()
        .map(|(pattern, build)| {
            let regex = Regex::new(&format!("(?i){pattern}")).expect("intent pattern");
            (regex, build)
        })
        .collect()
});

type BuildInProject = fn(&Captures<'_>, &dyn Fn(&str) -> bool) -> Option<Intent>;

/// Rules about projects, tried before the others; a builder declines unless
/// the words it takes for a project's name name one (`is_project`).
static PROJECT_RULES: LazyLock<Vec<(Regex, BuildInProject)>> = LazyLock::new(|| {
    let rules: Vec<(&str, BuildInProject)> = vec![
        (
            r"^(?:(?:show|list|display|get|what are)(?: me)?(?: all)?(?: of)?(?: my| the)? projects|projects|my projects|what projects do i have|which projects do i have)$",
            |_, _| Some(Intent::ListProjects),
        ),
        (
            r"^(?:please )?(?:create|make|add|start|new)(?: me)?(?: a| an| the)?(?: new)? project(?: called| named| for)?:? (.+)$",
            |c, _| {
                let name = unquote(&c[1]);
                (!name.is_empty()).then(|| Intent::CreateProject {
                    name: name.to_owned(),
                })
            },
        ),
        (
            r"^(?:please )?add (?:a |another )?sub-?task (.+?) (?:to|under|for|in) (.+)$",
            |c, _| {
                Some(Intent::AddSubtask {
                    parent: task_ref(&c[2])?,
                    text: unquote(&c[1]).to_owned(),
                })
            },
        ),
        (
            r"^(?:what(?:'s| is| are|s)(?: still)?(?: left| pending| open)? (?:in|on)|(?:show|list|display|open)(?: me)?(?: what's in)?(?: my| the)?(?: tasks in| tasks of)?) (?:my |the )?(.+?)(?: project| list)?$",
            |c, is_project| {
                let name = unquote(&c[1]);
                is_project(name).then(|| Intent::List(ListFilter::Project(name.to_owned())))
            },
        ),
        (
            r"^(?:please )?(?:add|put) (.+) (?:to|in|into|on) (?:my |the )?(.+?)(?: project| list)?$",
            |c, is_project| {
                let project = unquote(&c[2]);
                is_project(project).then(|| Intent::AddToProject {
                    text: c[1].to_owned(),
                    project: project.to_owned(),
                })
            },
        ),
        (
            r"^(?:move|put|file|transfer) (.+?) (?:to|in|into|under) (?:my |the )?(.+?)(?: project| list)?$",
            |c, is_project| {
                let project = unquote(&c[2]);
                is_project(project).then_some(())?;
                Some(Intent::MoveToProject {
                    task: task_ref(&c[1])?,
                    project: project.to_owned(),
                })
            },
        ),
    ];
    rules
        .into_iter()
        .map(|(pattern, build)| {
            let regex = Regex::new(&format!("(?i){pattern}")).expect("project pattern");
            (regex, build)
        })
        .collect()
});

/// What `message` asks for; `has_structure` tells whether quick add finds a
/// date, priority, tag or recurrence in a text (the caller's parser, so this
/// module needs no clock), and `is_project` whether words name one of the
/// user's projects.
pub fn parse(
    message: &str,
    has_structure: impl Fn(&str) -> bool,
    is_project: impl Fn(&str) -> bool,
) -> Intent {
    let text = normalise(message);
    if text.is_empty() {
        return Intent::NotUnderstood;
    }
    for (regex, build) in PROJECT_RULES.iter() {
        if let Some(intent) = regex
            .captures(&text)
            .and_then(|captures| build(&captures, &is_project))
        {
            return intent;
        }
    }
    for (regex, build) in RULES.iter() {
        if let Some(intent) = regex.captures(&text).and_then(|captures| build(&captures)) {
            return intent;
        }
    }
    if has_structure(&text) {
        Intent::Add { text }
    } else {
        Intent::NotUnderstood
    }
}

/// Trims, unifies apostrophes, collapses whitespace, drops trailing `?.!`
/// (but not a `!high` priority) and a leading "can you"/"please".
fn normalise(message: &str) -> String {
    let unified = message.replace(['\u{2019}', '\u{2018}'], "'");
    let mut text = unified.split_whitespace().collect::<Vec<_>>().join(" ");
    while text.ends_with(['?', '.', '!']) {
        text.pop();
    }
    static POLITE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:(?:can|could|would|will) you(?: please)? |please |hey,? |ok,? |okay,? )+",
        )
        .expect("polite pattern")
    });
    let text = POLITE.replace(&text, "");
    static TRAILING_PLEASE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i),? please$").expect("please pattern"));
    TRAILING_PLEASE.replace(&text, "").trim().to_owned()
}

fn number(captures: &Captures<'_>, group: usize) -> Option<i64> {
    captures.get(group)?.as_str().parse().ok()
}

fn add(text: &str) -> Option<Intent> {
    let text = text.trim();
    (!text.is_empty()).then(|| Intent::Add {
        text: text.to_owned(),
    })
}

fn set_priority(captures: &Captures<'_>, task: usize, priority: usize) -> Option<Intent> {
    let priority = match captures[priority].to_ascii_lowercase().as_str() {
        "urgent" => Priority::Urgent,
        "high" => Priority::High,
        "medium" | "normal" => Priority::Medium,
        "low" => Priority::Low,
        _ => Priority::None,
    };
    Some(Intent::SetPriority {
        task: task_ref(&captures[task])?,
        priority,
    })
}

fn reschedule(captures: &Captures<'_>, task: usize, when: usize) -> Option<Intent> {
    let when = captures[when].trim();
    (!when.is_empty()).then_some(())?;
    Some(Intent::Reschedule {
        task: task_ref(&captures[task])?,
        when: when.to_owned(),
    })
}

/// Strips one pair of matching quotes.
fn unquote(text: &str) -> &str {
    let text = text.trim();
    for (open, close) in [('"', '"'), ('\'', '\''), ('“', '”'), ('‘', '’'), ('«', '»')] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            return inner.trim();
        }
    }
    text
}

/// `task 3`, `#3` or `3` is an id; otherwise the words of a title, without
/// leading articles and a trailing "task".
pub fn task_ref(phrase: &str) -> Option<TaskRef> {
    static ID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:the )?(?:task|todo|to-do|item|number|no\.?)\s*)?#?\s*(\d{1,18})$")
            .expect("id pattern")
    });
    static LEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:the|my|a|an|that|this|our|one) )+").expect("leading pattern")
    });
    static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i) (?:task|todo|to-do|item|one|thing)$").expect("trailing pattern")
    });
    let phrase = unquote(phrase);
    if let Some(captures) = ID.captures(phrase) {
        return captures[1].parse().ok().map(TaskRef::Id);
    }
    let without_articles = LEADING.replace(phrase, "");
    let name = TRAILING.replace(&without_articles, "");
    let name = unquote(&name);
    let is_only_a_noun = ["task", "todo", "to-do", "item", "it", "that", "this", "one"]
        .iter()
        .any(|noun| name.eq_ignore_ascii_case(noun));
    (!name.is_empty() && !is_only_a_noun).then(|| TaskRef::Named(name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stands in for quick add: structure is a `#tag`, a `!priority` or a day word.
    fn structure(text: &str) -> bool {
        text.split_whitespace().any(|word| {
            word.starts_with('#')
                || word.starts_with('!')
                || ["tomorrow", "today", "friday", "6pm"].contains(&word.to_lowercase().as_str())
        })
    }

    /// The test user's projects.
    fn project(words: &str) -> bool {
        ["groceries", "work", "home", "home office"].contains(&words.to_lowercase().as_str())
    }

    fn named(name: &str) -> TaskRef {
        TaskRef::Named(name.into())
    }

    fn add(text: &str) -> Intent {
        Intent::Add { text: text.into() }
    }

    #[test]
    fn understands_the_phrasings_users_type() {
        use Intent::*;
        use ListFilter::*;
        let table: Vec<(&str, Intent)> = vec![
            // The issue's examples.
            ("Add a task to buy groceries", add("buy groceries")),
            (
                "I need to remember to pay bills tomorrow at 5pm",
                add("pay bills tomorrow at 5pm"),
            ),
            ("Show me all my tasks", List(All)),
            ("What's pending?", List(Pending)),
            ("What have I completed?", List(Completed)),
            ("What's overdue?", List(Overdue)),
            ("Mark task 3 as complete", Complete(TaskRef::Id(3))),
            ("Delete the meeting task", Delete(named("meeting"))),
            (
                "Change task 1 to 'Call mom tonight'",
                Rename {
                    task: TaskRef::Id(1),
                    title: "Call mom tonight".into(),
                },
            ),
            (
                "Make the report high priority",
                SetPriority {
                    task: named("report"),
                    priority: Priority::High,
                },
            ),
            (
                "Call mom tomorrow 6pm !high #family",
                add("Call mom tomorrow 6pm !high #family"),
            ),
            // Adding, other ways.
            ("add buy milk", add("buy milk")),
            ("Create a new task: file taxes", add("file taxes")),
            ("new todo call the plumber", add("call the plumber")),
            ("Remind me to water the plants", add("water the plants")),
            (
                "remind me about the dentist friday",
                add("the dentist friday"),
            ),
            ("I have to renew my passport", add("renew my passport")),
            ("Don't forget to email Sam", add("email Sam")),
            ("don’t let me forget to feed the cat", add("feed the cat")),
            ("todo: clean the garage", add("clean the garage")),
            (
                "Can you add a reminder to book flights?",
                add("book flights"),
            ),
            ("please add pick up kids today", add("pick up kids today")),
            // Listing.
            ("list my tasks", List(Pending)),
            ("What do I have to do?", List(Pending)),
            ("show pending tasks", List(Pending)),
            ("what is left", List(Pending)),
            ("list all tasks", List(All)),
            ("Show me my completed tasks", List(Completed)),
            ("what did I finish this week", List(Completed)),
            ("Is anything overdue?", List(Overdue)),
            ("show overdue tasks", List(Overdue)),
            ("What's due today?", List(DueWithin(Horizon::Today))),
            ("what is due tomorrow", List(DueWithin(Horizon::Tomorrow))),
            (
                "show tasks due this week",
                List(DueWithin(Horizon::ThisWeek)),
            ),
            ("search for invoice", List(Search("invoice".into()))),
            (
                "find \"quarterly report\"",
                List(Search("quarterly report".into())),
            ),
            ("show tasks tagged Work", List(Tag("work".into()))),
            ("list #family tasks", List(Tag("family".into()))),
            // Completing and reopening.
            ("complete task #7", Complete(TaskRef::Id(7))),
            ("I finished the report", Complete(named("report"))),
            ("mark groceries as done", Complete(named("groceries"))),
            ("the laundry is done", Complete(named("laundry"))),
            ("done with 12", Complete(TaskRef::Id(12))),
            ("check off the dentist task", Complete(named("dentist"))),
            ("reopen task 4", Reopen(TaskRef::Id(4))),
            ("mark the report as not done", Reopen(named("report"))),
            // Deleting.
            ("remove task 9", Delete(TaskRef::Id(9))),
            ("get rid of the gym task", Delete(named("gym"))),
            ("delete 'buy milk'", Delete(named("buy milk"))),
            // Changing.
            (
                "rename the report task to Write Q3 report",
                Rename {
                    task: named("report"),
                    title: "Write Q3 report".into(),
                },
            ),
            (
                "set task 2 to low priority",
                SetPriority {
                    task: TaskRef::Id(2),
                    priority: Priority::Low,
                },
            ),
            (
                "mark the taxes task as urgent",
                SetPriority {
                    task: named("taxes"),
                    priority: Priority::Urgent,
                },
            ),
            (
                "set the priority of task 5 to medium",
                SetPriority {
                    task: TaskRef::Id(5),
                    priority: Priority::Medium,
                },
            ),
            (
                "prioritize the budget",
                SetPriority {
                    task: named("budget"),
                    priority: Priority::High,
                },
            ),
            (
                "move task 2 to friday",
                Reschedule {
                    task: TaskRef::Id(2),
                    when: "friday".into(),
                },
            ),
            (
                "postpone the dentist until next week",
                Reschedule {
                    task: named("dentist"),
                    when: "next week".into(),
                },
            ),
            (
                "change the due date of task 8 to tomorrow 5pm",
                Reschedule {
                    task: TaskRef::Id(8),
                    when: "tomorrow 5pm".into(),
                },
            ),
            (
                "the report is due friday",
                Reschedule {
                    task: named("report"),
                    when: "friday".into(),
                },
            ),
            // Suggestions.
            ("show my suggestions", ListSuggestions),
            ("any suggestions?", ListSuggestions),
            ("accept suggestion 12", AcceptSuggestion(12)),
            ("dismiss suggestion #3", DismissSuggestion(3)),
            // Conversation.
            ("help", Help),
            ("What can you do?", Help),
            ("hello", Greeting),
            ("thanks!", Greeting),
            ("", NotUnderstood),
            ("what is the meaning of life", NotUnderstood),
            ("delete task", NotUnderstood),
            // Projects, where the words name one.
            ("list my projects", ListProjects),
            ("What projects do I have?", ListProjects),
            (
                "create a project called Garden",
                CreateProject {
                    name: "Garden".into(),
                },
            ),
            (
                "new project 'Home office'",
                CreateProject {
                    name: "Home office".into(),
                },
            ),
            (
                "add milk to Groceries",
                AddToProject {
                    text: "milk".into(),
                    project: "Groceries".into(),
                },
            ),
            (
                "put eggs tomorrow in my groceries list",
                AddToProject {
                    text: "eggs tomorrow".into(),
                    project: "groceries".into(),
                },
            ),
            ("add a task to buy groceries", add("buy groceries")),
            ("add milk to the fridge", add("milk to the fridge")),
            (
                "move the report to Work",
                MoveToProject {
                    task: named("report"),
                    project: "Work".into(),
                },
            ),
            (
                "move the report to friday",
                Reschedule {
                    task: named("report"),
                    when: "friday".into(),
                },
            ),
            (
                "file task 4 under home office",
                MoveToProject {
                    task: TaskRef::Id(4),
                    project: "home office".into(),
                },
            ),
            ("what's in Home?", List(Project("Home".into()))),
            ("show me the work project", List(Project("work".into()))),
            ("what's in store for me", NotUnderstood),
            (
                "add a subtask buy paint to the garage task",
                AddSubtask {
                    parent: named("garage"),
                    text: "buy paint".into(),
                },
            ),
            (
                "add subtask call Bo tomorrow under task 7",
                AddSubtask {
                    parent: TaskRef::Id(7),
                    text: "call Bo tomorrow".into(),
                },
            ),
        ];
        assert!(table.len() >= 40);
        let mut failures = Vec::new();
        for (message, expected) in &table {
            let got = parse(message, structure, project);
            if &got != expected {
                failures.push(format!("{message:?}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn task_references() {
        assert_eq!(task_ref("task 3"), Some(TaskRef::Id(3)));
        assert_eq!(task_ref("#42"), Some(TaskRef::Id(42)));
        assert_eq!(task_ref("the task 5"), Some(TaskRef::Id(5)));
        assert_eq!(task_ref("the meeting task"), Some(named("meeting")));
        assert_eq!(task_ref("“Team sync”"), Some(named("Team sync")));
        assert_eq!(task_ref("the task"), None);
        assert_eq!(task_ref("it"), None);
        assert_eq!(
            task_ref("task 99999999999999999999"),
            Some(named("task 99999999999999999999"))
        );
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(ProptestConfig::default().cases.max(2000)))]

        #[test]
        fn never_panics_on_any_message(message in any::<String>()) {
            let _ = parse(&message, structure, project);
            let _ = task_ref(&message);
        }

        #[test]
        fn never_panics_on_command_like_messages(
            verb in proptest::sample::select(vec!["add", "delete", "mark", "move", "change", "make", "complete", "show", "accept suggestion", "remind me to"]),
            rest in "[ a-z0-9#!'\"“”:.,?-]{0,40}",
        ) {
            let message = format!("{verb} {rest}");
            let _ = parse(&message, structure, project);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for message in [
            "!!!",
            "???",
            "   ",
            "add",
            "add ",
            "move to",
            "😀",
            "delete \u{0}",
            "\"\"",
        ] {
            let _ = parse(message, structure, project);
        }
    }
}
