//! A local stand-in for an OpenAI-compatible server: answers
//! `POST /v1/chat/completions` from a script, in the Chat Completions
//! format, and records every request it got. With the push service
//! ([`crate::PushService`]), the only stand-ins our tests use.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the stub does for one request.
#[derive(Debug, Clone)]
pub enum LlmAnswer {
    /// A final assistant message.
    Text(String),
    /// Tool calls: `(name, arguments as sent)`; the arguments are raw text,
    /// so a test can send invalid JSON as a model sometimes does.
    ToolCalls(Vec<(String, String)>),
    /// An HTTP error status with an OpenAI-style error body.
    Status(u16),
    /// Waits this long before answering (for timeouts), then sends `Text`.
    Slow(Duration),
}

#[derive(Default)]
struct Script {
    answers: VecDeque<LlmAnswer>,
    /// Used when the script runs out; `None` answers 500.
    repeat: Option<LlmAnswer>,
    requests: Vec<Value>,
    calls_made: usize,
}

pub struct LlmStub {
    pub port: u16,
    script: Arc<Mutex<Script>>,
}

impl LlmStub {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind stub");
        let port = listener.local_addr().expect("stub address").port();
        let script = Arc::new(Mutex::new(Script::default()));
        let shared = script.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        Self { port, script }
    }

    /// The origin to give as `llm_base_url`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Queues answers for the next requests.
    pub fn then(&self, answers: impl IntoIterator<Item = LlmAnswer>) -> &Self {
        self.script.lock().unwrap().answers.extend(answers);
        self
    }

    /// Answers every request beyond the queue with `answer`.
    pub fn always(&self, answer: LlmAnswer) {
        self.script.lock().unwrap().repeat = Some(answer);
    }

    /// The JSON bodies received so far, and forgets them.
    pub fn take_requests(&self) -> Vec<Value> {
        std::mem::take(&mut self.script.lock().unwrap().requests)
    }
}

fn completion(message: Value, finish_reason: &str) -> Value {
    json!({
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 1_764_000_000,
        "model": "stub-model",
        "choices": [{ "index": 0, "message": message, "finish_reason": finish_reason }],
        "usage": { "prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2 }
    })
}

fn respond(answer: &LlmAnswer, calls_made: &mut usize) -> (u16, Value) {
    match answer {
        LlmAnswer::Text(text) => (
            200,
            completion(json!({ "role": "assistant", "content": text }), "stop"),
        ),
        LlmAnswer::Slow(_) => (
            200,
            completion(json!({ "role": "assistant", "content": "late" }), "stop"),
        ),
        LlmAnswer::ToolCalls(calls) => {
            let tool_calls: Vec<Value> = calls
                .iter()
                .map(|(name, arguments)| {
                    *calls_made += 1;
                    json!({
                        "id": format!("call_{calls_made}"),
                        "type": "function",
                        "function": { "name": name, "arguments": arguments }
                    })
                })
                .collect();
            (
                200,
                completion(
                    json!({ "role": "assistant", "content": null, "tool_calls": tool_calls }),
                    "tool_calls",
                ),
            )
        }
        LlmAnswer::Status(status) => (
            *status,
            json!({ "error": { "message": "stub failure", "type": "server_error", "code": null } }),
        ),
    }
}

async fn serve(mut stream: TcpStream, script: Arc<Mutex<Script>>) {
    let Some(body) = read_request(&mut stream).await else {
        return;
    };
    let answer = {
        let mut script = script.lock().unwrap();
        script
            .requests
            .push(serde_json::from_slice(&body).unwrap_or(Value::Null));
        script.answers.pop_front().or_else(|| script.repeat.clone())
    };
    let answer = answer.unwrap_or(LlmAnswer::Status(500));
    if let LlmAnswer::Slow(delay) = answer {
        tokio::time::sleep(delay).await;
    }
    let (status, body) = {
        let mut script = script.lock().unwrap();
        respond(&answer, &mut script.calls_made)
    };
    let body = body.to_string();
    let head = format!(
        "HTTP/1.1 {status} Stub\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The body of one HTTP/1.1 request with a `content-length`.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    let header_end = loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..read]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..header_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < header_end + length {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            break;
        }
        data.extend_from_slice(&buffer[..read]);
    }
    Some(data[header_end..].to_vec())
}
