//! Each format's fixture (written for these tests after each product's
//! documented columns) read into a plan; bad files named by their line.

use chrono::{DateTime, NaiveDate, TimeZone, Utc, Weekday};
use taskspin_domain::recurrence::{Recurrence, Unit};
use taskspin_domain::task::{Due, Priority};
use taskspin_domain::zone::Zone;
use taskspin_imports::plan::PlannedTask;
use taskspin_imports::{Context, Format, Plan, read};

fn context(file_name: &str) -> Context {
    Context {
        now: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
        zone: Zone::named("Europe/Berlin").unwrap(),
        week_start: Weekday::Mon,
        file_name: file_name.into(),
    }
}

fn plan(bytes: &[u8], file_name: &str) -> (Format, Plan) {
    read(bytes, None, &context(file_name)).expect("the fixture reads")
}

fn task<'a>(plan: &'a Plan, title: &str) -> &'a PlannedTask {
    plan.tasks
        .iter()
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("no task {title:?} in {:?}", plan.tasks))
}

fn reasons(plan: &Plan) -> Vec<(usize, String)> {
    plan.not_understood
        .iter()
        .map(|n| (n.line, n.reason.clone()))
        .collect()
}

#[test]
fn todoist_sections_indents_priorities_notes_and_dates() {
    let (format, plan) = plan(include_bytes!("../fixtures/Groceries.csv"), "Groceries.csv");
    assert_eq!(format, Format::Todoist);
    let preview = plan.preview();
    assert_eq!(
        (preview.tasks, preview.projects, preview.sections),
        (5, 1, 2)
    );
    assert_eq!((preview.subtasks, preview.recurring), (1, 1));
    assert_eq!(preview.project_names, ["Groceries"]);

    let apples = task(&plan, "Buy apples");
    assert_eq!(apples.priority, Priority::Urgent, "Todoist's p1");
    assert_eq!(apples.tags, ["fruit"]);
    assert_eq!(
        apples.recurrence,
        Some(Recurrence::OnWeekdays {
            days: vec![Weekday::Mon]
        })
    );
    assert_eq!(
        apples.due,
        Some(Due::On(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()))
    );
    let green = task(&plan, "Pick green ones");
    assert_eq!(green.parent.as_deref(), Some(apples.source_id.as_str()));
    assert_eq!(green.section, apples.section);
    assert_eq!(
        green.priority,
        Priority::None,
        "Todoist's p4 is no priority"
    );
    assert_eq!(
        green.description, "Ask about the organic ones",
        "a note is kept"
    );
    let bananas = task(&plan, "Buy bananas");
    assert_eq!(bananas.priority, Priority::High);
    // 17:00 in Berlin is 16:00 UTC in December.
    assert_eq!(
        bananas.due,
        Some(Due::At(
            Utc.with_ymd_and_hms(2026, 12, 2, 16, 0, 0).unwrap()
        ))
    );
    assert_eq!(
        task(&plan, "Croissants, the good ones").priority,
        Priority::Medium
    );
    assert_ne!(task(&plan, "Buy bread").section, apples.section);

    let reasons = reasons(&plan);
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, 9);
    assert!(reasons[0].1.contains("someday soon"), "{reasons:?}");
    assert_eq!(reasons[1].0, 10);
    assert!(reasons[1].1.contains("\"de\""), "{reasons:?}");
}

#[test]
fn todoist_ids_stay_the_same_for_the_same_file() {
    let first = plan(include_bytes!("../fixtures/Groceries.csv"), "Groceries.csv").1;
    let again = plan(include_bytes!("../fixtures/Groceries.csv"), "Groceries.csv").1;
    let ids = |plan: &Plan| {
        plan.tasks
            .iter()
            .map(|t| t.source_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), ids(&again));
    let unique: std::collections::HashSet<_> = ids(&first).into_iter().collect();
    assert_eq!(unique.len(), 5);
}

#[test]
fn ticktick_lists_columns_parents_status_and_rules() {
    let (format, plan) = plan(
        include_bytes!("../fixtures/ticktick-backup.csv"),
        "backup.csv",
    );
    assert_eq!(format, Format::Ticktick);
    let preview = plan.preview();
    assert_eq!(preview.project_names, ["Chores", "Launch"]);
    assert_eq!(
        (preview.tasks, preview.sections, preview.subtasks),
        (5, 2, 1)
    );
    assert_eq!((preview.recurring, preview.completed), (1, 1));

    let water = task(&plan, "Water the plants");
    assert_eq!(water.tags, ["garden", "weekly"]);
    assert_eq!(water.priority, Priority::Medium);
    assert_eq!(
        water.recurrence,
        Some(Recurrence::Every {
            interval: 1,
            unit: Unit::Week
        })
    );
    assert_eq!(water.description, "Both balconies");
    assert_eq!(
        task(&plan, "Kitchen plants").parent.as_deref(),
        Some("ticktick:tt-1")
    );
    let landlord = task(&plan, "Call the landlord");
    assert_eq!(landlord.project, None, "TickTick's Inbox is ours");
    assert_eq!(landlord.priority, Priority::High);
    assert_eq!(
        landlord.due,
        Some(Due::On(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap())),
        "an all-day due is the day in the task's zone"
    );
    let announcement = task(&plan, "Write the announcement");
    assert_eq!(
        announcement.completed_at,
        Some(
            DateTime::parse_from_rfc3339("2026-10-05T12:00:00Z")
                .unwrap()
                .to_utc()
        )
    );
    assert!(announcement.section.as_deref().unwrap().ends_with("doing"));
    let venue = task(&plan, "Book the venue");
    assert_eq!(venue.recurrence, None);
    let reasons = reasons(&plan);
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons.iter().any(|(_, r)| r.contains("priority \"9\"")));
    assert!(reasons.iter().any(|(_, r)| r.contains("numbered weekday")));
}

#[test]
fn icalendar_todos_with_parents_zones_rules_and_categories() {
    let (format, plan) = plan(include_bytes!("../fixtures/Personal.ics"), "Personal.ics");
    assert_eq!(format, Format::Ical);
    let preview = plan.preview();
    assert_eq!(preview.project_names, ["Personal"]);
    assert_eq!(
        (
            preview.tasks,
            preview.subtasks,
            preview.recurring,
            preview.completed
        ),
        (5, 1, 1, 1)
    );

    let passport = task(&plan, "Renew passport");
    assert_eq!(passport.priority, Priority::Urgent);
    assert_eq!(passport.tags, ["admin", "travel"]);
    assert_eq!(
        passport.description,
        "Bring two photos, the old passport and the form that the office sends by mail"
    );
    assert_eq!(
        passport.due,
        Some(Due::On(NaiveDate::from_ymd_opt(2026, 12, 15).unwrap()))
    );
    let photo = task(&plan, "Book a photo appointment");
    assert_eq!(photo.parent.as_deref(), Some("ical:passport-1"));
    assert_eq!(photo.priority, Priority::Medium);
    assert_eq!(
        photo.due,
        Some(Due::At(Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap()))
    );
    let garden = task(&plan, "Water the garden");
    assert_eq!(
        garden.recurrence,
        Some(Recurrence::OnWeekdays {
            days: vec![Weekday::Sat]
        })
    );
    assert_eq!(garden.priority, Priority::Low);
    assert!(task(&plan, "Old chore").completed_at.is_some());
    assert_eq!(task(&plan, "File taxes").recurrence, None);
    let reasons = reasons(&plan);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].1.contains("ends"), "{reasons:?}");
}

fn refused(bytes: &[u8]) -> taskspin_imports::Unreadable {
    read(bytes, None, &context("file")).expect_err("the file is refused")
}

#[test]
fn bad_files_are_named_by_their_line() {
    let missing = refused(b"TYPE,CONTENT,DESCRIPTION\ntask,Milk,\n");
    assert_eq!(
        missing.status, 415,
        "no INDENT column: not recognised as Todoist"
    );
    let missing = read(
        b"TYPE,CONTENT,DESCRIPTION\ntask,Milk,\n",
        Some(Format::Todoist),
        &context("f"),
    )
    .unwrap_err();
    assert_eq!((missing.status, missing.line), (422, Some(1)));
    assert!(
        missing.message.contains("PRIORITY, INDENT"),
        "{}",
        missing.message
    );

    assert!(
        refused(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
            .message
            .contains("binary")
    );
    assert_eq!(
        refused(b"TYPE,CONTENT,INDENT\ntask,Caf\xe9,1\n").line,
        Some(2)
    );

    let mut long = b"TYPE,CONTENT,PRIORITY,INDENT\ntask,".to_vec();
    long.extend(std::iter::repeat_n(b'x', 20 << 20));
    let long = refused(&long);
    assert_eq!(long.status, 413, "over 20 MB");
    let mut long = b"TYPE,CONTENT,PRIORITY,INDENT\ntask,".to_vec();
    long.extend(std::iter::repeat_n(b'x', 1 << 20));
    assert_eq!(refused(&long).line, Some(2));

    let unterminated = refused(b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:x\r\nEND:VCALENDAR\r\n");
    assert_eq!(unterminated.line, Some(4), "{}", unterminated.message);
    let events = refused(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    assert!(events.message.contains("no to-dos"));
}

#[test]
fn a_hundred_thousand_nested_components_stop_at_the_first_too_deep() {
    let mut file = String::from("BEGIN:VCALENDAR\r\n");
    for _ in 0..100_000 {
        file.push_str("BEGIN:VTODO\r\n");
    }
    for _ in 0..100_000 {
        file.push_str("END:VTODO\r\n");
    }
    file.push_str("END:VCALENDAR\r\n");
    let deep = refused(file.as_bytes());
    assert_eq!(deep.line, Some(9));
    assert_eq!(deep.component.as_deref(), Some("VTODO"));
}

#[test]
fn parents_that_loop_or_are_missing_keep_the_task_at_the_top() {
    let file = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:a\r\nSUMMARY:A\r\nRELATED-TO:b\r\nEND:VTODO\r\n\
BEGIN:VTODO\r\nUID:b\r\nSUMMARY:B\r\nRELATED-TO:a\r\nEND:VTODO\r\n\
BEGIN:VTODO\r\nUID:c\r\nSUMMARY:C\r\nRELATED-TO:nowhere\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    let (_, plan) = plan(file.as_bytes(), "loops.ics");
    let parents: Vec<_> = plan
        .tasks
        .iter()
        .map(|t| (t.title.as_str(), t.parent.as_deref()))
        .collect();
    assert_eq!(
        parents.iter().filter(|(_, p)| p.is_none()).count(),
        2,
        "{parents:?}"
    );
    assert_eq!(
        plan.tasks[0].parent, None,
        "parents come first: {parents:?}"
    );
    assert_eq!(plan.not_understood_count, 2);
}

#[test]
fn subtasks_deeper_than_four_levels_stay_on_the_fourth() {
    let mut csv = String::from("TYPE,CONTENT,PRIORITY,INDENT\n");
    for level in 1..=6 {
        csv.push_str(&format!("task,Level {level},4,{level}\n"));
    }
    let (_, plan) = plan(csv.as_bytes(), "deep.csv");
    // Level 4 is as deep as subtasks go: 5 and 6 become its siblings.
    let level3 = task(&plan, "Level 3").source_id.clone();
    for title in ["Level 4", "Level 5", "Level 6"] {
        assert_eq!(
            task(&plan, title).parent.as_deref(),
            Some(level3.as_str()),
            "{title}"
        );
    }
}
