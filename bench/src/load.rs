//! A closed-loop load generator: N keep-alive connections, each sending its
//! next request as soon as the previous answer arrived.

use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;

#[derive(Clone)]
pub struct Scenario {
    pub name: String,
    pub method: hyper::Method,
    pub path: String,
    pub body: Bytes,
    pub headers: Vec<(String, String)>,
}

impl Scenario {
    pub fn get(name: &str, path: &str) -> Self {
        Self {
            name: name.into(),
            method: hyper::Method::GET,
            path: path.into(),
            body: Bytes::new(),
            headers: Vec::new(),
        }
    }

    pub fn post_json(name: &str, path: &str, body: &str) -> Self {
        Self {
            method: hyper::Method::POST,
            body: Bytes::copy_from_slice(body.as_bytes()),
            ..Self::get(name, path)
        }
        .with_header("content-type", "application/json")
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn request(&self, address: SocketAddr) -> Request<Full<Bytes>> {
        let mut builder = Request::builder()
            .method(self.method.clone())
            .uri(&self.path)
            .header("host", address.to_string());
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder
            .body(Full::new(self.body.clone()))
            .expect("a valid request")
    }
}

/// What one measured run sends: one request, or several in turn (a mixed
/// workload; each connection starts at a different one).
#[derive(Clone)]
pub struct Workload {
    pub name: String,
    pub requests: Vec<Scenario>,
}

impl From<Scenario> for Workload {
    fn from(scenario: Scenario) -> Self {
        Self {
            name: scenario.name.clone(),
            requests: vec![scenario],
        }
    }
}

impl Workload {
    pub fn mixed(name: &str, requests: Vec<Scenario>) -> Self {
        Self {
            name: name.into(),
            requests,
        }
    }
}

pub struct Report {
    pub name: String,
    elapsed: Duration,
    latencies: Histogram<u64>,
    pub errors: u64,
}

impl Report {
    pub fn count(&self) -> u64 {
        self.latencies.len()
    }

    pub fn requests_per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// A latency quantile in milliseconds.
    pub fn ms(&self, quantile: f64) -> f64 {
        self.latencies.value_at_quantile(quantile) as f64 / 1000.0
    }

    pub fn median_ms(&self) -> f64 {
        self.ms(0.5)
    }

    pub fn header() -> String {
        format!(
            "{:<40} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>7}",
            "scenario", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |micros: u64| micros as f64 / 1000.0;
        let count = self.latencies.len();
        write!(
            f,
            "{:<40} {:>9} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7}",
            self.name,
            count,
            count as f64 / self.elapsed.as_secs_f64(),
            ms(self.latencies.value_at_quantile(0.50)),
            ms(self.latencies.value_at_quantile(0.95)),
            ms(self.latencies.value_at_quantile(0.99)),
            ms(self.latencies.max()),
            self.errors
        )
    }
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("histogram bounds")
}

pub async fn run(
    address: SocketAddr,
    workload: &Workload,
    connections: usize,
    duration: Duration,
) -> Report {
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..connections)
        .map(|n| {
            let mut requests = workload.requests.clone();
            let len = requests.len();
            requests.rotate_left(n % len);
            tokio::spawn(connection(address, requests, deadline))
        })
        .collect();
    let mut latencies = histogram();
    let mut errors = 0;
    for worker in workers {
        if let Ok((histogram, failed)) = worker.await {
            latencies.add(histogram).expect("same bounds");
            errors += failed;
        }
    }
    Report {
        name: workload.name.clone(),
        elapsed: started.elapsed(),
        latencies,
        errors,
    }
}

/// One connection's loop; reconnects after a transport error.
async fn connection(
    address: SocketAddr,
    requests: Vec<Scenario>,
    deadline: Instant,
) -> (Histogram<u64>, u64) {
    let mut next = requests.iter().cycle();
    let mut latencies = histogram();
    let mut errors = 0;
    'reconnect: while Instant::now() < deadline {
        let Ok(stream) = tokio::net::TcpStream::connect(address).await else {
            errors += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let Ok((mut sender, driver)) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
        else {
            errors += 1;
            continue;
        };
        tokio::spawn(driver);
        while Instant::now() < deadline {
            let sent = Instant::now();
            let scenario = next.next().expect("at least one request");
            let answered = match sender.send_request(scenario.request(address)).await {
                Ok(response) => {
                    let ok = response.status().is_success();
                    response.into_body().collect().await.is_ok() && ok
                }
                Err(_) => {
                    errors += 1;
                    continue 'reconnect;
                }
            };
            if answered {
                let _ = latencies.record(sent.elapsed().as_micros() as u64);
            } else {
                errors += 1;
            }
        }
    }
    (latencies, errors)
}
