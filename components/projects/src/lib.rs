//! `/api/projects/...`: the signed-in user's projects and their sections.

use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::signed_in;
use taskspin_db::position::Place;
use taskspin_http::{ApiError, ApiResult, Problem, Routes, if_match, json, json_body};
use taskspin_projects::{
    Change, Move, NewProject, NewSection, Project, ProjectPatch, Projects, Section, SectionPatch,
    StatusFilter,
};

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("projects", request, |request| {
        let mut router = Routes::new();
        router.get("/api/projects", list);
        router.post("/api/projects", create);
        router.get("/api/projects/:id", get);
        router.patch("/api/projects/:id", update);
        router.delete("/api/projects/:id", delete);
        router.post("/api/projects/:id/archive", archive);
        router.post("/api/projects/:id/restore", restore);
        router.post("/api/projects/:id/move", move_project);
        router.get("/api/projects/:id/sections", list_sections);
        router.post("/api/projects/:id/sections", create_section);
        router.patch("/api/projects/:id/sections/:section_id", rename_section);
        router.delete("/api/projects/:id/sections/:section_id", delete_section);
        router.post("/api/projects/:id/sections/:section_id/move", move_section);
        router.handle(request)
    })
}

/// Authenticates, then runs `work` on the user's projects.
fn with_projects(request: &Request, work: impl FnOnce(&Projects) -> ApiResult) -> ApiResult {
    signed_in(request, |db, auth| work(&Projects::new(db, &auth.user.id)))
}

fn no_project() -> ApiError {
    Problem::new(404, "No such project.").into()
}

fn no_section() -> ApiError {
    Problem::new(404, "No such section.").into()
}

fn id(params: &Params, name: &str, missing: fn() -> ApiError) -> ApiResult<i64> {
    params
        .get(name)
        .and_then(|id| id.parse().ok())
        .ok_or_else(missing)
}

fn project_id(params: &Params) -> ApiResult<i64> {
    id(params, "id", no_project)
}

fn section_id(params: &Params) -> ApiResult<i64> {
    id(params, "section_id", no_section)
}

fn with_etag<T: serde::Serialize>(status: u16, body: &T, etag: String) -> ApiResult {
    let mut response = json(status, body)?;
    response.set_header("etag", etag);
    Ok(response)
}

fn project_response(status: u16, project: &Project) -> ApiResult {
    with_etag(status, project, project.etag())
}

fn section_response(status: u16, section: &Section) -> ApiResult {
    with_etag(status, section, section.etag())
}

/// A 412 with the version that won, so a client can show it.
fn stale<T: serde::Serialize>(what: &str, current: &T, etag: String) -> ApiError {
    Problem::new(
        412,
        format!("The {what} changed since you read it; nothing was changed."),
    )
    .with_header("etag", etag)
    .with_extension("current", current)
    .into()
}

fn no_such_neighbour() -> ApiError {
    vec![taskspin_domain::FieldError {
        field: "after".into(),
        message: "is not one of the siblings this moves among".into(),
    }]
    .into()
}

/// The answer to a change of a project: `done` on success.
fn project_change(change: Change<Project>, done: impl FnOnce(Project) -> ApiResult) -> ApiResult {
    match change {
        Change::Done(project) => done(project),
        Change::NotFound => Err(no_project()),
        Change::Stale(current) => Err(stale("project", &current, current.etag())),
        Change::InboxIsFixed => Err(Problem::new(
            409,
            "The Inbox cannot be renamed, archived, moved or deleted.",
        )
        .into()),
        Change::NoSuchNeighbour => Err(no_such_neighbour()),
    }
}

fn section_change(change: Change<Section>, done: impl FnOnce(Section) -> ApiResult) -> ApiResult {
    match change {
        Change::Done(section) => done(section),
        Change::Stale(current) => Err(stale("section", &current, current.etag())),
        Change::NoSuchNeighbour => Err(no_such_neighbour()),
        Change::NotFound | Change::InboxIsFixed => Err(no_section()),
    }
}

fn list(request: Request, _: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let status = StatusFilter::parse(request.query())?;
        json(200, &projects.list(status)?)
    })
}

fn create(request: Request, _: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let body = json_body::<NewProject>(&request)?;
        let name = body.validate()?;
        let project = projects.create(&name, body.color)?;
        let mut response = project_response(201, &project)?;
        response.set_header("location", format!("/api/projects/{}", project.id));
        Ok(response)
    })
}

fn get(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        match projects.get(project_id(&params)?)? {
            Some(project) => project_response(200, &project),
            None => Err(no_project()),
        }
    })
}

fn update(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let id = project_id(&params)?;
        let body = json_body::<ProjectPatch>(&request)?;
        let name = body.validate()?;
        let change = projects.update(id, name.as_deref(), body.color, &if_match(&request)?)?;
        project_change(change, |project| project_response(200, &project))
    })
}

fn delete(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let change = projects.delete(project_id(&params)?, &if_match(&request)?)?;
        project_change(change, |_| Ok(Response::new(204, ())))
    })
}

fn set_archived(request: &Request, params: &Params, archived: bool) -> ApiResult {
    with_projects(request, |projects| {
        let change = projects.set_archived(project_id(params)?, archived, &if_match(request)?)?;
        project_change(change, |project| project_response(200, &project))
    })
}

fn archive(request: Request, params: Params) -> ApiResult {
    set_archived(&request, &params, true)
}

fn restore(request: Request, params: Params) -> ApiResult {
    set_archived(&request, &params, false)
}

fn place(request: &Request) -> ApiResult<Place> {
    Ok(Place::from_after(json_body::<Move>(request)?.after))
}

fn move_project(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let id = project_id(&params)?;
        let change = projects.move_to(id, place(&request)?, &if_match(&request)?)?;
        project_change(change, |project| project_response(200, &project))
    })
}

fn list_sections(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        match projects.sections(project_id(&params)?)? {
            Some(sections) => json(200, &sections),
            None => Err(no_project()),
        }
    })
}

fn create_section(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let project = project_id(&params)?;
        let name = json_body::<NewSection>(&request)?.validate()?;
        match projects.create_section(project, &name)? {
            Some(section) => section_response(201, &section),
            None => Err(no_project()),
        }
    })
}

fn rename_section(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let (project, section) = (project_id(&params)?, section_id(&params)?);
        let name = json_body::<SectionPatch>(&request)?.validate()?;
        let change = projects.rename_section(project, section, &name, &if_match(&request)?)?;
        section_change(change, |section| section_response(200, &section))
    })
}

fn delete_section(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let (project, section) = (project_id(&params)?, section_id(&params)?);
        let change = projects.delete_section(project, section, &if_match(&request)?)?;
        section_change(change, |_| Ok(Response::new(204, ())))
    })
}

fn move_section(request: Request, params: Params) -> ApiResult {
    with_projects(&request, |projects| {
        let (project, section) = (project_id(&params)?, section_id(&params)?);
        let change =
            projects.move_section(project, section, place(&request)?, &if_match(&request)?)?;
        section_change(change, |section| section_response(200, &section))
    })
}
