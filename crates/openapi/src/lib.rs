//! The OpenAPI 3.1 document of the HTTP API. Schemas come from the very
//! types the components decode and encode (`ToSchema` derives); this crate
//! lists the operations, their parameters and every status they answer.
//! `make test` runs an API fuzzer against it to keep it honest.

use serde::Serialize;
use taskspin_accounts::User;
use taskspin_accounts::requests::{
    ChangePassword, ConfirmPassword, CreatedToken, NewToken, SignIn, SignUp, TokenList, UpdateMe,
};
use taskspin_agents::preferences::{AgentPreferences, QuietHours};
use taskspin_agents::suggestions::{Accepted, Action, PendingCount, Suggestion, SuggestionList};
use taskspin_assistant::conversations::{
    Conversation, ConversationList, ConversationSummary, Message, ToolCall,
};
use taskspin_assistant::{ChatReply, ChatRequest};
use taskspin_calendar::feeds::{CreatedFeed, FeedStatus};
use taskspin_domain::FieldError;
use taskspin_imports::Format as ImportFormat;
use taskspin_imports::plan::{NotUnderstood, Preview};
use taskspin_imports::store::{Counts, Import, ImportList, JobProblem, Outcome, Progress, Status};
use taskspin_projects::{
    Mention, Move, NewProject, NewSection, Project, ProjectList, ProjectPatch, Section, SectionList,
};
use taskspin_push::subscriptions::{
    NewSubscription, PushKey, Subscription, SubscriptionKeys, SubscriptionList,
};
use taskspin_tasks::requests::{BulkCompleted, BulkDeleted, Ids, QuickText};
use taskspin_tasks::{MoveTask, NewTask, Page, SubtaskCounts, Task, TaskPatch};
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem, PathsBuilder,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, KnownFormat, Ref, RefOr, Required, Schema, SchemaFormat};
use utoipa::{OpenApi as _, ToSchema};

/// A problem document (RFC 9457), as every error answers.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes the JSON `taskspin_http::Problem` writes
struct Problem {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    detail: Option<String>,
    instance: String,
    request_id: String,
    /// Each invalid field, on a 422.
    errors: Option<Vec<FieldError>>,
    /// The current version of what the change was for, on a 412.
    current: Option<Current>,
}

/// What a 412 shows: the task, project or section as it is now.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // describes JSON the components write
enum Current {
    Task(Task),
    Project(Project),
    Section(Section),
}

/// What quick add would create.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes the JSON `taskspin_domain::quick_add::QuickAdd` writes
struct QuickAddPreview {
    title: String,
    #[schema(format = DateTime)]
    due_at: Option<String>,
    #[schema(format = Date)]
    due_date: Option<String>,
    priority: Option<taskspin_domain::Priority>,
    tags: Vec<String>,
    recurrence: Option<taskspin_domain::Recurrence>,
    /// The project the task goes to (`+Name`, or the one asked for); its id
    /// is null when no project has that name: the task then goes to the Inbox.
    project: Option<Mention>,
    /// `/Name`: a section of that project; id null when it has none so named.
    section: Option<Mention>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes the health component's JSON
struct Liveness {
    status: String,
    #[schema(format = DateTime)]
    timestamp: String,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes the health component's JSON
struct Readiness {
    status: String,
    database: String,
    schema_version: Option<i64>,
    reason: Option<String>,
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Taskspin",
        description = "A self-hostable, AI-assisted task manager."
    ),
    components(schemas(
        Problem,
        QuickAddPreview,
        Liveness,
        Readiness,
        User,
        SignUp,
        SignIn,
        UpdateMe,
        ConfirmPassword,
        ChangePassword,
        TokenList,
        NewToken,
        CreatedToken,
        Current,
        Task,
        SubtaskCounts,
        NewTask,
        TaskPatch,
        MoveTask,
        Project,
        ProjectList,
        NewProject,
        ProjectPatch,
        Section,
        SectionList,
        NewSection,
        Move,
        Mention,
        Page,
        QuickText,
        Ids,
        BulkCompleted,
        BulkDeleted,
        Suggestion,
        Action,
        SuggestionList,
        PendingCount,
        Accepted,
        AgentPreferences,
        QuietHours,
        ChatRequest,
        ChatReply,
        ToolCall,
        ConversationSummary,
        ConversationList,
        Conversation,
        Message,
        PushKey,
        NewSubscription,
        SubscriptionKeys,
        Subscription,
        SubscriptionList,
        FeedStatus,
        CreatedFeed,
        Import,
        ImportList,
        Preview,
        NotUnderstood,
        Progress,
        Outcome,
        Counts,
        JobProblem,
        Status,
        ImportFormat
    ))
)]
struct Schemas;

/// How an operation may be called.
#[derive(Clone, Copy, PartialEq)]
enum Access {
    Public,
    SignedIn,
}

struct Operation {
    method: HttpMethod,
    path: &'static str,
    summary: &'static str,
    access: Access,
    body: Option<&'static str>,
    /// Success statuses and the schema of each (None: no body).
    answers: &'static [(u16, Option<&'static str>)],
    /// Error statuses beyond those every operation of its kind can answer.
    errors: &'static [u16],
}

const fn op(
    method: HttpMethod,
    path: &'static str,
    summary: &'static str,
    access: Access,
    body: Option<&'static str>,
    answers: &'static [(u16, Option<&'static str>)],
    errors: &'static [u16],
) -> Operation {
    Operation {
        method,
        path,
        summary,
        access,
        body,
        answers,
        errors,
    }
}

use Access::{Public, SignedIn};
use HttpMethod::{Delete, Get, Patch, Post, Put};

const OPERATIONS: &[Operation] = &[
    op(
        Get,
        "/health",
        "Liveness: answers while the app runs",
        Public,
        None,
        &[(200, Some("Liveness"))],
        &[],
    ),
    op(
        Get,
        "/ready",
        "Readiness: the database and the schema version",
        Public,
        None,
        &[(200, Some("Readiness")), (503, Some("Readiness"))],
        &[],
    ),
    op(
        Post,
        "/api/auth/signup",
        "Create an account and sign in",
        Public,
        Some("SignUp"),
        &[(201, Some("User"))],
        &[403, 409],
    ),
    op(
        Post,
        "/api/auth/signin",
        "Sign in",
        Public,
        Some("SignIn"),
        &[(200, Some("User"))],
        &[401, 403, 429],
    ),
    op(
        Post,
        "/api/auth/signout",
        "Sign out: revoke the session",
        Public,
        None,
        &[(204, None)],
        &[403],
    ),
    op(
        Get,
        "/api/auth/me",
        "The signed-in account",
        SignedIn,
        None,
        &[(200, Some("User"))],
        &[],
    ),
    op(
        Patch,
        "/api/auth/me",
        "Change the account's settings",
        SignedIn,
        Some("UpdateMe"),
        &[(200, Some("User"))],
        &[],
    ),
    op(
        Delete,
        "/api/auth/me",
        "Delete the account and all its data",
        SignedIn,
        Some("ConfirmPassword"),
        &[(204, None)],
        &[],
    ),
    op(
        Post,
        "/api/auth/password",
        "Change the password; signs out every other session",
        SignedIn,
        Some("ChangePassword"),
        &[(204, None)],
        &[],
    ),
    op(
        Get,
        "/api/auth/tokens",
        "List personal access tokens",
        SignedIn,
        None,
        &[(200, Some("TokenList"))],
        &[],
    ),
    op(
        Post,
        "/api/auth/tokens",
        "Create a personal access token (shown once)",
        SignedIn,
        Some("NewToken"),
        &[(201, Some("CreatedToken"))],
        &[],
    ),
    op(
        Delete,
        "/api/auth/tokens/{id}",
        "Revoke a personal access token",
        SignedIn,
        None,
        &[(204, None)],
        &[404],
    ),
    op(
        Get,
        "/api/tasks",
        "List tasks: filter, search, sort, page",
        SignedIn,
        None,
        &[(200, Some("Page"))],
        &[],
    ),
    op(
        Post,
        "/api/tasks",
        "Create a task",
        SignedIn,
        Some("NewTask"),
        &[(201, Some("Task"))],
        &[],
    ),
    op(
        Post,
        "/api/tasks/quick",
        "Create a task from a line of text",
        SignedIn,
        Some("QuickText"),
        &[(201, Some("Task"))],
        &[],
    ),
    op(
        Post,
        "/api/tasks/parse",
        "Preview what quick add would create",
        SignedIn,
        Some("QuickText"),
        &[(200, Some("QuickAddPreview"))],
        &[],
    ),
    op(
        Post,
        "/api/tasks/bulk/complete",
        "Complete several tasks",
        SignedIn,
        Some("Ids"),
        &[(200, Some("BulkCompleted"))],
        &[],
    ),
    op(
        Post,
        "/api/tasks/bulk/delete",
        "Delete several tasks",
        SignedIn,
        Some("Ids"),
        &[(200, Some("BulkDeleted"))],
        &[],
    ),
    op(
        Get,
        "/api/tasks/{id}",
        "Read a task",
        SignedIn,
        None,
        &[(200, Some("Task"))],
        &[404],
    ),
    op(
        Patch,
        "/api/tasks/{id}",
        "Change any subset of a task's fields",
        SignedIn,
        Some("TaskPatch"),
        &[(200, Some("Task"))],
        &[404, 412],
    ),
    op(
        Delete,
        "/api/tasks/{id}",
        "Delete a task",
        SignedIn,
        None,
        &[(204, None)],
        &[404, 412],
    ),
    op(
        Post,
        "/api/tasks/{id}/complete",
        "Complete a task (a recurring one rolls forward once)",
        SignedIn,
        None,
        &[(200, Some("Task"))],
        &[404, 412],
    ),
    op(
        Post,
        "/api/tasks/{id}/reopen",
        "Reopen a completed task",
        SignedIn,
        None,
        &[(200, Some("Task"))],
        &[404, 412],
    ),
    op(
        Post,
        "/api/tasks/{id}/move",
        "Move a task and its subtasks: another project, section, parent or place",
        SignedIn,
        Some("MoveTask"),
        &[(200, Some("Task"))],
        &[404, 412],
    ),
    op(
        Get,
        "/api/projects",
        "List projects (the Inbox first) with their task counts",
        SignedIn,
        None,
        &[(200, Some("ProjectList"))],
        &[],
    ),
    op(
        Post,
        "/api/projects",
        "Create a project",
        SignedIn,
        Some("NewProject"),
        &[(201, Some("Project"))],
        &[],
    ),
    op(
        Get,
        "/api/projects/{id}",
        "Read a project",
        SignedIn,
        None,
        &[(200, Some("Project"))],
        &[404],
    ),
    op(
        Patch,
        "/api/projects/{id}",
        "Rename or recolour a project (the Inbox keeps its name)",
        SignedIn,
        Some("ProjectPatch"),
        &[(200, Some("Project"))],
        &[404, 409],
    ),
    op(
        Delete,
        "/api/projects/{id}",
        "Delete a project with its sections and tasks",
        SignedIn,
        None,
        &[(204, None)],
        &[404, 409],
    ),
    op(
        Post,
        "/api/projects/{id}/archive",
        "Archive a project: its tasks leave every other view",
        SignedIn,
        None,
        &[(200, Some("Project"))],
        &[404, 409],
    ),
    op(
        Post,
        "/api/projects/{id}/restore",
        "Restore an archived project",
        SignedIn,
        None,
        &[(200, Some("Project"))],
        &[404, 409],
    ),
    op(
        Post,
        "/api/projects/{id}/move",
        "Put a project in another place in the sidebar",
        SignedIn,
        Some("Move"),
        &[(200, Some("Project"))],
        &[404, 409],
    ),
    op(
        Get,
        "/api/projects/{id}/sections",
        "A project's sections, in order",
        SignedIn,
        None,
        &[(200, Some("SectionList"))],
        &[404],
    ),
    op(
        Post,
        "/api/projects/{id}/sections",
        "Add a section at the end of a project",
        SignedIn,
        Some("NewSection"),
        &[(201, Some("Section"))],
        &[404],
    ),
    op(
        Patch,
        "/api/projects/{id}/sections/{section_id}",
        "Rename a section",
        SignedIn,
        Some("NewSection"),
        &[(200, Some("Section"))],
        &[404],
    ),
    op(
        Delete,
        "/api/projects/{id}/sections/{section_id}",
        "Delete a section; its tasks stay in the project",
        SignedIn,
        None,
        &[(204, None)],
        &[404],
    ),
    op(
        Post,
        "/api/projects/{id}/sections/{section_id}/move",
        "Put a section in another place in its project",
        SignedIn,
        Some("Move"),
        &[(200, Some("Section"))],
        &[404],
    ),
    op(
        Get,
        "/api/suggestions",
        "The agents' pending suggestions, newest first",
        SignedIn,
        None,
        &[(200, Some("SuggestionList"))],
        &[],
    ),
    op(
        Get,
        "/api/suggestions/count",
        "How many suggestions are pending",
        SignedIn,
        None,
        &[(200, Some("PendingCount"))],
        &[],
    ),
    op(
        Post,
        "/api/suggestions/{id}/accept",
        "Apply a suggestion's change, once",
        SignedIn,
        None,
        &[(200, Some("Accepted"))],
        &[404, 409],
    ),
    op(
        Post,
        "/api/suggestions/{id}/dismiss",
        "Dismiss a suggestion",
        SignedIn,
        None,
        &[(200, Some("Suggestion"))],
        &[404, 409],
    ),
    op(
        Get,
        "/api/preferences/agents",
        "Which agents may suggest, and quiet hours",
        SignedIn,
        None,
        &[(200, Some("AgentPreferences"))],
        &[],
    ),
    op(
        Put,
        "/api/preferences/agents",
        "Set which agents may suggest, and quiet hours",
        SignedIn,
        Some("AgentPreferences"),
        &[(200, Some("AgentPreferences"))],
        &[],
    ),
    op(
        Post,
        "/api/chat",
        "Ask the assistant; it may run tools on your tasks",
        SignedIn,
        Some("ChatRequest"),
        &[(200, Some("ChatReply"))],
        &[404, 502],
    ),
    op(
        Get,
        "/api/conversations",
        "Your conversations with the assistant, most recent first",
        SignedIn,
        None,
        &[(200, Some("ConversationList"))],
        &[],
    ),
    op(
        Get,
        "/api/conversations/{conversation_id}",
        "A conversation and its messages",
        SignedIn,
        None,
        &[(200, Some("Conversation"))],
        &[404],
    ),
    op(
        Delete,
        "/api/conversations/{conversation_id}",
        "Delete a conversation",
        SignedIn,
        None,
        &[(204, None)],
        &[404],
    ),
    op(
        Get,
        "/api/push/key",
        "The server's VAPID public key, for pushManager.subscribe (404: push is not set up)",
        SignedIn,
        None,
        &[(200, Some("PushKey"))],
        &[404],
    ),
    op(
        Get,
        "/api/push/subscriptions",
        "The browsers you get notifications on",
        SignedIn,
        None,
        &[(200, Some("SubscriptionList"))],
        &[],
    ),
    op(
        Post,
        "/api/push/subscriptions",
        "Get notifications on this browser (201 new, 200 the same browser again)",
        SignedIn,
        Some("NewSubscription"),
        &[(201, Some("Subscription")), (200, Some("Subscription"))],
        &[404, 409],
    ),
    op(
        Delete,
        "/api/push/subscriptions/{id}",
        "Stop notifications on a browser",
        SignedIn,
        None,
        &[(204, None)],
        &[404],
    ),
    op(
        Get,
        "/api/calendar/feed",
        "Whether you have a calendar feed",
        SignedIn,
        None,
        &[(200, Some("FeedStatus"))],
        &[],
    ),
    op(
        Post,
        "/api/calendar/feed",
        "Create your calendar feed, or give it a new URL (the old one stops working); the URL is shown once",
        SignedIn,
        None,
        &[(201, Some("CreatedFeed"))],
        &[],
    ),
    op(
        Delete,
        "/api/calendar/feed",
        "Turn your calendar feed off",
        SignedIn,
        None,
        &[(204, None)],
        &[404],
    ),
    op(
        Get,
        "/api/calendar/feed/{file}",
        "The calendar feed (iCalendar), read with the secret its URL holds; 304 while unchanged",
        Public,
        None,
        &[(200, None), (304, None)],
        &[404],
    ),
    op(
        Get,
        "/api/imports",
        "Your 20 newest imports, newest first",
        SignedIn,
        None,
        &[(200, Some("ImportList"))],
        &[],
    ),
    op(
        Post,
        "/api/imports",
        "Upload a file to import (the raw file as the body, up to 20 MB): a Todoist CSV, a TickTick CSV backup, iCalendar to-dos or a Taskspin JSON export. Nothing is created until it is confirmed; 422 names the line (and iCalendar component) it could not read",
        SignedIn,
        None,
        &[(201, Some("Import"))],
        &[400, 409, 413, 415, 422],
    ),
    op(
        Get,
        "/api/imports/{import_id}",
        "An import: its preview, its job's progress, and what it created",
        SignedIn,
        None,
        &[(200, Some("Import"))],
        &[404],
    ),
    op(
        Post,
        "/api/imports/{import_id}/confirm",
        "Start the import's job (confirming again changes nothing)",
        SignedIn,
        None,
        &[(202, Some("Import"))],
        &[404, 409],
    ),
    op(
        Delete,
        "/api/imports/{import_id}",
        "Discard a preview, or the record of a finished import (what it created stays)",
        SignedIn,
        None,
        &[(204, None)],
        &[404, 409],
    ),
    op(
        Get,
        "/api/export",
        "Everything you have, streamed: `format=json` (default; see /api/export/schema.json), `csv` (one row per task) or `ics` (VTODO)",
        SignedIn,
        None,
        &[(200, None)],
        &[400],
    ),
    op(
        Get,
        "/api/export/schema.json",
        "The JSON Schema of the JSON export",
        Public,
        None,
        &[(200, None)],
        &[],
    ),
    op(
        Get,
        "/api/openapi.json",
        "This document",
        Public,
        None,
        &[(200, None)],
        &[],
    ),
];

/// The calendar feed: iCalendar, not JSON.
const FEED: &str = "/api/calendar/feed/{file}";

fn json_content(content_type: &str, schema: &str) -> (String, utoipa::openapi::Content) {
    (
        content_type.to_owned(),
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(schema)))
            .build(),
    )
}

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    let (content_type, content) = json_content("application/problem+json", "Problem");
    ResponseBuilder::new()
        .description(description)
        .content(content_type, content)
        .build()
        .into()
}

fn describe_error(status: u16) -> &'static str {
    match status {
        400 => "The body is not valid JSON, or If-Match is not a list of entity tags",
        401 => "No valid session cookie or bearer token",
        403 => "A cross-site request",
        404 => "No such resource for this user",
        409 => "The email already has an account",
        412 => "If-Match names another version; `current` holds the task",
        413 => "The body is larger than 1 MiB",
        415 => "The body is not application/json",
        422 => "Invalid fields, each named in `errors`",
        429 => "Too many failed sign-ins; see Retry-After",
        500 => "An unexpected failure, logged with the request ID",
        502 => "The language model failed; the message is kept; see Retry-After",
        503 => "The database is unavailable; see Retry-After",
        _ => "An error",
    }
}

fn parameter(
    name: &str,
    location: ParameterIn,
    schema: Schema,
    description: &str,
) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(location.clone())
        .required(if location == ParameterIn::Path {
            Required::True
        } else {
            Required::False
        })
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn string_enum(values: &[&str]) -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some(values.to_vec()))
        .into()
}

fn pattern(pattern: &str, max_length: usize) -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .max_length(Some(max_length))
        .pattern(Some(pattern))
        .into()
}

fn formatted(format: KnownFormat) -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .format(Some(SchemaFormat::KnownFormat(format)))
        .into()
}

/// `priority=high,urgent`: one or more priorities, comma-separated.
const PRIORITIES: &str = "^(none|low|medium|high|urgent)(,(none|low|medium|high|urgent))*$";
/// Text without NUL, which PostgreSQL cannot store or search.
const NO_NUL: &str = "^[^\\u0000]*$";
/// What the listing's `next_cursor` looks like (URL-safe base64).
const CURSOR: &str = "^[A-Za-z0-9_-]+$";
/// An `If-Match` header: `*`, or a list of entity tags (RFC 9110 section
/// 8.8.3), which may be empty.
const IF_MATCH: &str = "^([ \\t]*(\\*|(W/)?\"[\\x21\\x23-\\x7E]*\"([ \\t]*,[ \\t]*(W/)?\"[\\x21\\x23-\\x7E]*\")*)[ \\t]*)?$";

fn list_parameters() -> Vec<utoipa::openapi::path::Parameter> {
    let tag = <taskspin_tasks::TagName as utoipa::PartialSchema>::schema();
    let bound = || -> Schema {
        AnyOfBuilder::new()
            .item(formatted(KnownFormat::DateTime))
            .item(formatted(KnownFormat::Date))
            .into()
    };
    let limit = ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(200));
    vec![
        parameter(
            "status",
            ParameterIn::Query,
            string_enum(&["pending", "completed", "overdue", "all"]),
            "Default pending",
        ),
        parameter(
            "priority",
            ParameterIn::Query,
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .pattern(Some(PRIORITIES))
                .into(),
            "Comma-separated priorities",
        ),
        ParameterBuilder::new()
            .name("tag")
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .description(Some("Only tasks with this tag"))
            .schema(Some(tag))
            .build(),
        parameter(
            "due_before",
            ParameterIn::Query,
            bound(),
            "An RFC 3339 instant or a date (its start in your time zone)",
        ),
        parameter(
            "due_after",
            ParameterIn::Query,
            bound(),
            "An RFC 3339 instant or a date (its start in your time zone)",
        ),
        parameter(
            "q",
            ParameterIn::Query,
            pattern(NO_NUL, 200),
            "Full-text search over title and description",
        ),
        parameter(
            "sort",
            ParameterIn::Query,
            string_enum(&["due", "priority", "created", "updated", "title", "manual"]),
            "Default due; manual: the order set by hand (among siblings)",
        ),
        parameter(
            "project",
            ParameterIn::Query,
            id_or(&["inbox"]),
            "Only this project's tasks (a project id, or inbox); without it, archived projects' tasks are left out",
        ),
        parameter(
            "section",
            ParameterIn::Query,
            id_or(&["none"]),
            "Only this section's tasks (a section id), or none: those without a section",
        ),
        parameter(
            "parent",
            ParameterIn::Query,
            id_or(&["none"]),
            "Only this task's subtasks (a task id), or none: top-level tasks",
        ),
        parameter(
            "order",
            ParameterIn::Query,
            string_enum(&["asc", "desc"]),
            "The sort's direction",
        ),
        parameter(
            "limit",
            ParameterIn::Query,
            limit.into(),
            "1 to 200, default 50",
        ),
        parameter(
            "cursor",
            ParameterIn::Query,
            pattern(CURSOR, 512),
            "The previous page's next_cursor, with the same sort and order",
        ),
    ]
}

/// An operation's id, from its method and path: `get /api/tasks/{id}`
/// becomes `get_api_tasks_id`.
fn operation_id(method: &HttpMethod, path: &str) -> String {
    let method = match method {
        Get => "get",
        Post => "post",
        Put => "put",
        Patch => "patch",
        Delete => "delete",
        _ => "other",
    };
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    format!("{method}_{}", words.join("_"))
}

/// Whether an operation honours `If-Match`: every change of one task,
/// project or section.
fn takes_if_match(spec: &Operation) -> bool {
    let changes_one = spec.path.starts_with("/api/tasks/{id}")
        || (spec.path.starts_with("/api/projects/{id}")
            && spec.path != "/api/projects/{id}/sections");
    changes_one && spec.method != Get
}

/// A query parameter that is a positive id or one of `words`.
fn id_or(words: &[&str]) -> Schema {
    let id = ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .pattern(Some("^[1-9][0-9]{0,17}$"));
    AnyOfBuilder::new().item(id).item(string_enum(words)).into()
}

/// A link to the operation at `method path`, filling its `parameters` from
/// the answer (`(name, runtime expression)`).
fn link_to(
    method: HttpMethod,
    path: &str,
    parameters: &[(&str, &str)],
) -> (String, utoipa::openapi::link::Link) {
    let id = operation_id(&method, path);
    let link = parameters
        .iter()
        .fold(
            LinkBuilder::new().operation_id(id.clone()),
            |link, (name, value)| link.parameter(*name, *value),
        )
        .build();
    (id, link)
}

/// Links from a success answer to the operations that take what it returns
/// (OpenAPI 3.1 section 4.8.20), which the API fuzzer's stateful phase follows.
fn links(spec: &Operation) -> Vec<(String, utoipa::openapi::link::Link)> {
    let to = |method: HttpMethod, path: &str, parameter: &str, value: &str| {
        link_to(method, path, &[(parameter, value)])
    };
    let task_operations = |value: &str| {
        vec![
            to(Get, "/api/tasks/{id}", "id", value),
            to(Patch, "/api/tasks/{id}", "id", value),
            to(Delete, "/api/tasks/{id}", "id", value),
            to(Post, "/api/tasks/{id}/complete", "id", value),
            to(Post, "/api/tasks/{id}/reopen", "id", value),
            to(Post, "/api/tasks/{id}/move", "id", value),
        ]
    };
    let project_operations = |value: &str| {
        vec![
            to(Get, "/api/projects/{id}", "id", value),
            to(Patch, "/api/projects/{id}", "id", value),
            to(Delete, "/api/projects/{id}", "id", value),
            to(Post, "/api/projects/{id}/archive", "id", value),
            to(Post, "/api/projects/{id}/restore", "id", value),
            to(Post, "/api/projects/{id}/move", "id", value),
            to(Get, "/api/projects/{id}/sections", "id", value),
            to(Post, "/api/projects/{id}/sections", "id", value),
        ]
    };
    // A section's operations need its project's id and its own.
    let section = |method: HttpMethod, path: &str| {
        link_to(
            method,
            path,
            &[
                ("id", "$response.body#/project_id"),
                ("section_id", "$response.body#/id"),
            ],
        )
    };
    match (&spec.method, spec.path) {
        (Post, "/api/tasks" | "/api/tasks/quick") => task_operations("$response.body#/id"),
        (Post, "/api/projects") => project_operations("$response.body#/id"),
        (Post, "/api/projects/{id}/sections") => vec![
            section(Patch, "/api/projects/{id}/sections/{section_id}"),
            section(Delete, "/api/projects/{id}/sections/{section_id}"),
            section(Post, "/api/projects/{id}/sections/{section_id}/move"),
        ],
        (Get, "/api/tasks") => vec![to(
            Get,
            "/api/tasks",
            "cursor",
            "$response.body#/next_cursor",
        )],
        (Post, "/api/auth/tokens") => vec![to(
            Delete,
            "/api/auth/tokens/{id}",
            "id",
            "$response.body#/id",
        )],
        (Post, "/api/chat") => vec![
            to(
                Get,
                "/api/conversations/{conversation_id}",
                "conversation_id",
                "$response.body#/conversation_id",
            ),
            to(
                Delete,
                "/api/conversations/{conversation_id}",
                "conversation_id",
                "$response.body#/conversation_id",
            ),
        ],
        _ => Vec::new(),
    }
}

fn operation(spec: &Operation) -> utoipa::openapi::path::Operation {
    let mut builder = OperationBuilder::new()
        .summary(Some(spec.summary))
        .operation_id(Some(operation_id(&spec.method, spec.path)));
    // Integer ids in the path, in the order the path names them.
    for (name, description) in [("id", "The id"), ("section_id", "The section's id")] {
        if spec.path.contains(&format!("{{{name}}}")) {
            let id = ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::Integer))
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)));
            builder = builder.parameter(parameter(name, ParameterIn::Path, id.into(), description));
        }
    }
    if spec.path.contains("{conversation_id}") {
        builder = builder.parameter(parameter(
            "conversation_id",
            ParameterIn::Path,
            formatted(KnownFormat::Uuid),
            "The conversation's UUID",
        ));
    }
    if spec.path.contains("{import_id}") {
        builder = builder.parameter(parameter(
            "import_id",
            ParameterIn::Path,
            formatted(KnownFormat::Uuid),
            "The import's UUID",
        ));
    }
    if spec.path == "/api/imports" && spec.method == Post {
        builder = builder
            .parameter(parameter(
                "name",
                ParameterIn::Query,
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .max_length(Some(255))
                    .into(),
                "The file's name (a Todoist export names its project)",
            ))
            .parameter(parameter(
                "format",
                ParameterIn::Query,
                string_enum(&["todoist", "ticktick", "ical", "taskspin"]),
                "Default: read from the file",
            ))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        "application/octet-stream",
                        ContentBuilder::new()
                            .schema(Some(
                                ObjectBuilder::new()
                                    .schema_type(SchemaType::Type(Type::String))
                                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
                            ))
                            .build(),
                    )
                    .build(),
            ));
    }
    if spec.path == "/api/export" {
        builder = builder.parameter(parameter(
            "format",
            ParameterIn::Query,
            string_enum(&["json", "csv", "ics"]),
            "Default json",
        ));
    }
    if spec.path == "/api/tasks" && spec.method == Get {
        builder = builder.parameters(Some(list_parameters()));
    }
    if spec.path == "/api/projects" && spec.method == Get {
        builder = builder.parameter(parameter(
            "status",
            ParameterIn::Query,
            string_enum(&["active", "archived", "all"]),
            "Default active",
        ));
    }
    if spec.path == FEED {
        builder = builder
            .parameter(parameter(
                "file",
                ParameterIn::Path,
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .pattern(Some("^tsc_[A-Za-z0-9_-]{43}\\.ics$"))
                    .into(),
                "`<secret>.ics`, as the URL the feed was created with gives it",
            ))
            .parameter(parameter(
                "If-None-Match",
                ParameterIn::Header,
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .into(),
                "The ETag of the copy you have: 304 while it is current",
            ));
    }
    if takes_if_match(spec) {
        builder = builder.parameter(parameter(
            "If-Match",
            ParameterIn::Header,
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .pattern(Some(IF_MATCH))
                .into(),
            "The ETag this change expects: `\"N\"` for version N, or `*`",
        ));
    }
    if let Some(body) = spec.body {
        let (content_type, content) = json_content("application/json", body);
        let request = RequestBodyBuilder::new()
            .required(Some(Required::True))
            .content(content_type, content)
            .build();
        builder = builder.request_body(Some(request));
    }
    for (status, schema) in spec.answers {
        let mut response = ResponseBuilder::new().description("Success");
        if *status < 300 {
            for (name, link) in links(spec) {
                response = response.link(name, link);
            }
        }
        if let Some(schema) = schema {
            let (content_type, content) = json_content("application/json", schema);
            response = response.content(content_type, content);
        } else if spec.path == "/api/openapi.json" {
            response = response.content("application/json", ContentBuilder::new().build());
        } else if spec.path == "/api/export/schema.json" {
            response = response.content("application/schema+json", ContentBuilder::new().build());
        } else if spec.path == "/api/export" {
            for content_type in ["application/json", "text/csv", "text/calendar"] {
                response = response.content(content_type, ContentBuilder::new().build());
            }
        } else if spec.path == FEED && *status == 200 {
            response = response.content(
                "text/calendar",
                ContentBuilder::new()
                    .schema(Some(
                        ObjectBuilder::new().schema_type(SchemaType::Type(Type::String)),
                    ))
                    .build(),
            );
        }
        builder = builder.response(status.to_string(), response.build());
    }
    let mut errors: Vec<u16> = spec.errors.to_vec();
    if !matches!(
        spec.path,
        "/health" | "/ready" | "/api/openapi.json" | "/api/export/schema.json"
    ) {
        errors.extend([405, 500, 503]);
    }
    if spec.body.is_some() {
        errors.extend([400, 413, 415, 422]);
    }
    if takes_if_match(spec) {
        errors.extend([400, 412]);
    }
    if spec.access == SignedIn {
        errors.extend([401, 403]);
        // Query parameters (and, for tasks, ids named in a body) are checked.
        if spec.path == "/api/tasks"
            || spec.path.starts_with("/api/tasks/")
            || spec.path == "/api/projects"
        {
            errors.push(422);
        }
        builder = builder
            .security(SecurityRequirement::new("session", Vec::<String>::new()))
            .security(SecurityRequirement::new("token", Vec::<String>::new()));
    }
    errors.sort_unstable();
    errors.dedup();
    for status in errors {
        builder = builder.response(status.to_string(), problem(describe_error(status)));
    }
    builder.build()
}

/// The whole document, as served at `/api/openapi.json`.
pub fn document() -> serde_json::Value {
    let mut json = serde_json::to_value(typed_document()).unwrap_or_default();
    exclusive_dues(&mut json);
    link_operation_ids(&mut json);
    json
}

/// utoipa writes a link's `operationId` as `operation_id`.
fn link_operation_ids(json: &mut serde_json::Value) {
    let Some(paths) = json["paths"].as_object_mut() else {
        return;
    };
    let operations = paths.values_mut().filter_map(|item| item.as_object_mut());
    for operation in operations.flat_map(|item| item.values_mut()) {
        let Some(responses) = operation["responses"].as_object_mut() else {
            continue;
        };
        for response in responses.values_mut() {
            let Some(links) = response.get_mut("links").and_then(|l| l.as_object_mut()) else {
                continue;
            };
            for link in links.values_mut().filter_map(|l| l.as_object_mut()) {
                if let Some(id) = link.remove("operation_id") {
                    link.insert("operationId".to_owned(), id);
                }
            }
        }
    }
}

/// `due_at` and `due_date` are one field in two shapes: a body gives at most
/// one of them (`null` for the other is fine). utoipa has no `not`.
fn exclusive_dues(json: &mut serde_json::Value) {
    for name in ["NewTask", "TaskPatch"] {
        if let Some(schema) = json["components"]["schemas"].get_mut(name) {
            schema["not"] = serde_json::json!({
                "required": ["due_at", "due_date"],
                "properties": {"due_at": {"type": "string"}, "due_date": {"type": "string"}}
            });
        }
    }
}

fn typed_document() -> utoipa::openapi::OpenApi {
    let mut paths = PathsBuilder::new();
    for spec in OPERATIONS {
        paths = paths.path(
            spec.path,
            PathItem::new(spec.method.clone(), operation(spec)),
        );
    }
    let mut api = Schemas::openapi();
    api.paths = paths.build();
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("taskspin_session"))),
    );
    components.add_security_scheme(
        "token",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    api
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_and_schema_resolves() {
        let json = document();
        assert!(json["openapi"].as_str().unwrap().starts_with("3.1"));
        let schemas = json["components"]["schemas"].as_object().unwrap();
        let text = json.to_string();
        for reference in text.split("\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap();
            assert!(schemas.contains_key(name), "unresolved schema {name}");
        }
        let item = json["paths"]["/api/tasks/{id}"].as_object().unwrap();
        assert_eq!(
            item.keys().collect::<Vec<_>>(),
            ["delete", "get", "patch"],
            "operations of one path merge"
        );
    }
}
