//! Spin's HTTP trigger: route a request to a component by the manifest's
//! routes, instantiate the component afresh, and hand it the request through
//! `wasi:http/incoming-handler` with the `spin-*` headers Spin adds.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use wasmtime_wasi_http::WasiHttpView;
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

use crate::app::{App, one_line};
use crate::state::State;

/// A route from the manifest: `/health` matches exactly, `/api/...` matches
/// `/api` and everything below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    raw: String,
    kind: RouteKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum RouteKind {
    Exact(String),
    /// The prefix without the trailing `/...` (empty for `/...`).
    Wildcard(String),
}

impl Route {
    pub fn parse(raw: &str) -> anyhow::Result<Self> {
        if !raw.starts_with('/') {
            bail!("route `{raw}` must start with `/`");
        }
        if raw.split('/').any(|segment| segment.starts_with(':')) {
            bail!("route `{raw}`: parameter segments are not supported by this host");
        }
        let kind = match raw.strip_suffix("/...") {
            Some(prefix) if !prefix.contains("...") => RouteKind::Wildcard(prefix.to_owned()),
            _ if raw.contains("...") => bail!("route `{raw}`: `...` may only end a route"),
            _ => RouteKind::Exact(raw.trim_end_matches('/').to_owned()),
        };
        Ok(Self {
            raw: raw.to_owned(),
            kind,
        })
    }

    /// The path below the route for a wildcard, or None when it does not match.
    fn path_info<'a>(&self, path: &'a str) -> Option<&'a str> {
        match &self.kind {
            RouteKind::Exact(exact) => (path.trim_end_matches('/') == exact.as_str()).then_some(""),
            RouteKind::Wildcard(prefix) => {
                let rest = path.strip_prefix(prefix.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some(rest)
            }
        }
    }

    /// Exact routes beat wildcards; among wildcards the longer prefix wins.
    fn specificity(&self) -> (bool, usize) {
        match &self.kind {
            RouteKind::Exact(exact) => (true, exact.len()),
            RouteKind::Wildcard(prefix) => (false, prefix.len()),
        }
    }

    fn component_route(&self) -> &str {
        match &self.kind {
            RouteKind::Exact(exact) => exact,
            RouteKind::Wildcard(prefix) => prefix,
        }
    }
}

pub struct Router {
    routes: Vec<(Route, String)>,
}

impl Router {
    pub fn new(entries: impl IntoIterator<Item = (String, String)>) -> anyhow::Result<Self> {
        let mut routes: Vec<(Route, String)> = Vec::new();
        for (raw, component) in entries {
            let route = Route::parse(&raw)?;
            if let Some((_, other)) = routes.iter().find(|(r, _)| r.kind == route.kind) {
                bail!("route `{raw}` of component `{component}` duplicates the one of `{other}`");
            }
            routes.push((route, component));
        }
        routes.sort_by_key(|(route, _)| std::cmp::Reverse(route.specificity()));
        Ok(Self { routes })
    }

    fn find<'a>(&'a self, path: &'a str) -> Option<(&'a Route, &'a str, &'a str)> {
        self.routes.iter().find_map(|(route, component)| {
            route
                .path_info(path)
                .map(|info| (route, component.as_str(), info))
        })
    }

    pub fn describe(&self) -> impl Iterator<Item = (&str, &str)> {
        self.routes
            .iter()
            .map(|(route, component)| (component.as_str(), route.raw.as_str()))
    }
}

struct Server {
    app: Arc<App>,
    router: Router,
    proxies: std::collections::HashMap<String, ProxyPre<State>>,
    listen: SocketAddr,
}

/// The HTTP components of the app, ready to serve.
pub struct HttpTrigger {
    server: Arc<Server>,
    listener: tokio::net::TcpListener,
}

impl HttpTrigger {
    pub async fn bind(app: Arc<App>, listen: SocketAddr) -> anyhow::Result<Self> {
        let triggers = &app.manifest.manifest.trigger.http;
        let router = Router::new(
            triggers
                .iter()
                .map(|t| (t.route.clone(), t.component.clone())),
        )?;
        let mut proxies = std::collections::HashMap::new();
        for trigger in triggers {
            let pre = app.component(&trigger.component).pre.clone();
            let proxy = ProxyPre::new(pre).map_err(|e| {
                anyhow::anyhow!(
                    "component `{}` does not export wasi:http/incoming-handler: {}",
                    trigger.component,
                    one_line(&e.into())
                )
            })?;
            proxies.insert(trigger.component.clone(), proxy);
        }
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let listen = listener.local_addr()?;
        Ok(Self {
            server: Arc::new(Server {
                app,
                router,
                proxies,
                listen,
            }),
            listener,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.listen
    }

    pub fn routes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.server.router.describe()
    }

    pub async fn serve(self) -> anyhow::Result<()> {
        loop {
            let (stream, client) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                // Running out of file descriptors must not end the server.
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
            let server = self.server.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let server = server.clone();
                    async move { Ok::<_, Infallible>(server.handle(request, client).await) }
                });
                if let Err(error) = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    tracing::debug!(%error, "connection ended with an error");
                }
            });
        }
    }
}

impl Server {
    async fn handle(
        &self,
        mut request: hyper::Request<hyper::body::Incoming>,
        client: SocketAddr,
    ) -> hyper::Response<HyperOutgoingBody> {
        let path = request.uri().path().to_owned();
        if path == "/.well-known/spin/health" {
            return plain(200, "OK");
        }
        let Some((route, component, path_info)) = self.router.find(&path) else {
            return plain(404, "Not Found");
        };
        let full_url = format!(
            "http://{}{}",
            request
                .headers()
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .map_or_else(|| self.listen.to_string(), str::to_owned),
            request.uri().path_and_query().map_or("/", |pq| pq.as_str())
        );
        let spin_headers = [
            ("spin-full-url", full_url),
            ("spin-path-info", path_info.to_owned()),
            ("spin-matched-route", route.raw.clone()),
            ("spin-raw-component-route", route.raw.clone()),
            ("spin-component-route", route.component_route().to_owned()),
            ("spin-base-path", "/".to_owned()),
            ("spin-client-addr", client.to_string()),
        ];
        for (name, value) in spin_headers {
            if let Ok(value) = http::HeaderValue::from_str(&value) {
                request.headers_mut().insert(name, value);
            }
        }
        match self.run(component, request).await {
            Ok(response) => response,
            Err(error) => {
                // A trap is the component's failure, never hidden: log it and answer 500.
                tracing::error!(
                    component,
                    path,
                    error = one_line(&error),
                    "component failed"
                );
                plain(500, "Internal Server Error")
            }
        }
    }

    async fn run(
        &self,
        component: &str,
        request: hyper::Request<hyper::body::Incoming>,
    ) -> anyhow::Result<hyper::Response<HyperOutgoingBody>> {
        let prepared = self.app.component(component);
        let proxy = self.proxies[component].clone();
        let mut store = self
            .app
            .new_store(State::new(prepared.config.clone(), &[])?);
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let incoming = store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, request)?;
        let outparam = store.data_mut().http().new_response_outparam(sender)?;
        // The guest may keep running after it sent the head (streaming the body),
        // so it runs in its own task.
        let task = tokio::spawn(async move {
            let instance = proxy.instantiate_async(&mut store).await?;
            instance
                .wasi_http_incoming_handler()
                .call_handle(&mut store, incoming, outparam)
                .await
        });
        match receiver.await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(code)) => bail!("component answered with error code {code:?}"),
            Err(_) => match task.await {
                Ok(Ok(())) => bail!("component returned without setting a response"),
                Ok(Err(trap)) => Err(anyhow::Error::from(trap)),
                Err(join) => Err(join.into()),
            },
        }
    }
}

fn plain(status: u16, body: &'static str) -> hyper::Response<HyperOutgoingBody> {
    let body = Full::new(Bytes::from_static(body.as_bytes()))
        .map_err(|never| match never {})
        .boxed_unsync();
    let mut response = hyper::Response::new(body);
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router() -> Router {
        Router::new(
            [
                ("/...", "web"),
                ("/api/tasks/...", "tasks"),
                ("/health", "health"),
                ("/api/...", "api"),
            ]
            .map(|(r, c)| (r.to_owned(), c.to_owned())),
        )
        .unwrap()
    }

    #[test]
    fn the_most_specific_route_wins() {
        let router = router();
        let found = |path| {
            router
                .find(path)
                .map(|(_, c, info)| (c.to_owned(), info.to_owned()))
        };
        assert_eq!(found("/health"), Some(("health".into(), "".into())));
        assert_eq!(found("/health/"), Some(("health".into(), "".into())));
        assert_eq!(found("/healthz"), Some(("web".into(), "/healthz".into())));
        assert_eq!(found("/api/tasks"), Some(("tasks".into(), "".into())));
        assert_eq!(found("/api/tasks/7"), Some(("tasks".into(), "/7".into())));
        assert_eq!(found("/api/tasksx"), Some(("api".into(), "/tasksx".into())));
        assert_eq!(found("/"), Some(("web".into(), "/".into())));
    }

    #[test]
    fn duplicate_and_malformed_routes_are_rejected() {
        assert!(Router::new([("/a".into(), "x".into()), ("/a/".into(), "y".into())]).is_err());
        assert!(Route::parse("health").is_err());
        assert!(Route::parse("/a/.../b").is_err());
        assert!(Route::parse("/users/:id").is_err());
    }
}
