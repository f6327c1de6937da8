//! A component's routing table: Spin's router, plus what RFC 9110 asks of a
//! `405`. Spin's router answers a known path with an unregistered method
//! without an `Allow` header; this table remembers which methods each path
//! takes and names them. A path that a route without parameters names
//! (`/api/tasks/quick`) is that resource alone: another method on it is a
//! `405`, not a call of a parameterised route (`PATCH /api/tasks/:id`).

use spin_sdk::http::conversions::TryFromRequest;
use spin_sdk::http::{IntoResponse, Method, Params, Request, Response, Router};

use crate::Problem;

/// Methods in the order an `Allow` header lists them.
const ORDER: [Method; 6] = [
    Method::Get,
    Method::Head,
    Method::Post,
    Method::Put,
    Method::Patch,
    Method::Delete,
];

#[derive(Default)]
pub struct Routes {
    router: Router,
    /// The paths each method was registered for, matched as Spin matches them.
    paths: Vec<(Method, routefinder::Router<()>)>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get<F, Req, Resp>(&mut self, path: &str, handler: F)
    where
        F: Fn(Req, Params) -> Resp + 'static,
        Req: TryFromRequest + 'static,
        Req::Error: IntoResponse + 'static,
        Resp: IntoResponse + 'static,
    {
        self.route(Method::Get, path, handler);
    }

    pub fn post<F, Req, Resp>(&mut self, path: &str, handler: F)
    where
        F: Fn(Req, Params) -> Resp + 'static,
        Req: TryFromRequest + 'static,
        Req::Error: IntoResponse + 'static,
        Resp: IntoResponse + 'static,
    {
        self.route(Method::Post, path, handler);
    }

    pub fn put<F, Req, Resp>(&mut self, path: &str, handler: F)
    where
        F: Fn(Req, Params) -> Resp + 'static,
        Req: TryFromRequest + 'static,
        Req::Error: IntoResponse + 'static,
        Resp: IntoResponse + 'static,
    {
        self.route(Method::Put, path, handler);
    }

    pub fn patch<F, Req, Resp>(&mut self, path: &str, handler: F)
    where
        F: Fn(Req, Params) -> Resp + 'static,
        Req: TryFromRequest + 'static,
        Req::Error: IntoResponse + 'static,
        Resp: IntoResponse + 'static,
    {
        self.route(Method::Patch, path, handler);
    }

    pub fn delete<F, Req, Resp>(&mut self, path: &str, handler: F)
    where
        F: Fn(Req, Params) -> Resp + 'static,
        Req: TryFromRequest + 'static,
        Req::Error: IntoResponse + 'static,
        Resp: IntoResponse + 'static,
    {
        self.route(Method::Delete, path, handler);
    }

    /// Registers the handler with Spin's router, and its path under its method.
    fn route<F, Req, Resp>(&mut self, method: Method, path: &str, handler: F)
    where
        F: Fn(Req, Params) -> Resp + 'static,
        Req: TryFromRequest + 'static,
        Req::Error: IntoResponse + 'static,
        Resp: IntoResponse + 'static,
    {
        self.router.add(path, method.clone(), handler);
        let index = match self.paths.iter().position(|(m, _)| *m == method) {
            Some(index) => index,
            None => {
                self.paths.push((method, routefinder::Router::new()));
                self.paths.len() - 1
            }
        };
        self.paths[index]
            .1
            .add(path, ())
            .expect("a route pattern Spin's router accepts");
    }

    /// The methods whose best route for `path` has no parameters.
    fn named_by(&self, path: &str) -> Vec<&Method> {
        self.paths
            .iter()
            .filter(|(_, router)| {
                router.best_match(path).is_some_and(|m| {
                    m.captures().params().is_empty() && m.captures().wildcard().is_none()
                })
            })
            .map(|(method, _)| method)
            .collect()
    }

    /// The methods `path` takes, as an `Allow` header lists them (`HEAD`
    /// wherever `GET`: Spin's router answers it with the `GET` handler).
    pub fn allowed(&self, path: &str) -> String {
        self.allow(path, &self.named_by(path))
    }

    /// [`Routes::allowed`], given the methods that name `path`.
    fn allow(&self, path: &str, named: &[&Method]) -> String {
        let takes = |method: &Method| {
            if named.is_empty() {
                self.paths
                    .iter()
                    .any(|(m, router)| m == method && router.best_match(path).is_some())
            } else {
                named.contains(&method)
            }
        };
        ORDER
            .iter()
            .filter(|method| takes(method) || (**method == Method::Head && takes(&Method::Get)))
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Routes the request; a `405` names the methods the path takes.
    pub fn handle(&self, request: Request) -> Response {
        let path = request.path().to_owned();
        let method = request.method().clone();
        let named = self.named_by(&path);
        let answered_by_name = named.is_empty()
            || named.contains(&&method)
            || (method == Method::Head && named.contains(&&Method::Get));
        if answered_by_name {
            let response = self.router.handle(request);
            if *response.status() != 405 {
                return response;
            }
        }
        let allowed = self.allow(&path, &named);
        Problem::new(
            405,
            format!("{path} does not take {method}; it takes {allowed}."),
        )
        .with_header("allow", allowed)
        .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nothing(_: Request, _: Params) -> Response {
        Response::new(200, ())
    }

    #[test]
    fn allow_lists_the_methods_a_path_matches() {
        let mut routes = Routes::new();
        routes.get("/api/tasks", nothing);
        routes.post("/api/tasks", nothing);
        routes.post("/api/tasks/quick", nothing);
        routes.get("/api/tasks/:id", nothing);
        routes.patch("/api/tasks/:id", nothing);
        routes.delete("/api/tasks/:id", nothing);
        assert_eq!(routes.allowed("/api/tasks"), "GET, HEAD, POST");
        assert_eq!(routes.allowed("/api/tasks/7"), "GET, HEAD, PATCH, DELETE");
        assert_eq!(
            routes.allowed("/api/tasks/quick"),
            "POST",
            "a route without parameters names the resource alone"
        );
        assert_eq!(routes.allowed("/elsewhere"), "");
    }
}
