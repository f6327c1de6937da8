//! The Model Context Protocol over its Streamable HTTP transport, stateless:
//! every POST carries JSON-RPC 2.0 messages (`initialize`, `ping`,
//! `tools/list`, `tools/call`, notifications), answered as one JSON body.
//! The tools are the chat's own, scoped to the token's user.

use serde_json::{Value, json};

use crate::tools::{self, Toolbox};

/// Protocol revisions this server speaks, newest first.
pub const PROTOCOL_VERSIONS: [&str; 4] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;

/// What to send back for one POST.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A JSON-RPC response (or batch of them) with this HTTP status.
    Json(u16, Value),
    /// Only notifications or responses came in: `202 Accepted`, no body.
    Accepted,
}

fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message.into() } })
}

fn success(id: Value, result: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "result": result })
}

/// Answers one POST body.
pub fn handle(body: &[u8], toolbox: &Toolbox<'_>) -> taskspin_db::Result<Reply> {
    let Ok(message) = serde_json::from_slice::<Value>(body) else {
        return Ok(Reply::Json(
            400,
            error(
                Value::Null,
                PARSE_ERROR,
                "Parse error: the body is not JSON",
            ),
        ));
    };
    match message {
        Value::Array(batch) if batch.is_empty() => Ok(Reply::Json(
            400,
            error(Value::Null, INVALID_REQUEST, "Invalid Request: empty batch"),
        )),
        Value::Array(batch) => {
            let mut responses = Vec::new();
            for message in &batch {
                if let Some(response) = answer(message, toolbox)? {
                    responses.push(response);
                }
            }
            Ok(if responses.is_empty() {
                Reply::Accepted
            } else {
                Reply::Json(200, Value::Array(responses))
            })
        }
        single => Ok(match answer(&single, toolbox)? {
            Some(response) if response.get("error").is_some() && is_malformed(&single) => {
                Reply::Json(400, response)
            }
            Some(response) => Reply::Json(200, response),
            None => Reply::Accepted,
        }),
    }
}

/// Not a JSON-RPC request, notification or response at all.
fn is_malformed(message: &Value) -> bool {
    message.get("jsonrpc") != Some(&json!("2.0"))
        || !(message.get("method").is_some_and(Value::is_string)
            || message.get("result").is_some()
            || message.get("error").is_some())
}

/// The response to one message; `None` for notifications and responses.
fn answer(message: &Value, toolbox: &Toolbox<'_>) -> taskspin_db::Result<Option<Value>> {
    if !message.is_object() || is_malformed(message) {
        let id = message.get("id").cloned().unwrap_or(Value::Null);
        return Ok(Some(error(id, INVALID_REQUEST, "Invalid Request")));
    }
    let Some(method) = message.get("method").and_then(Value::as_str) else {
        // A response to a request of ours; we send none, so nothing to do.
        return Ok(None);
    };
    let Some(id) = message.get("id").cloned() else {
        // Notifications (`notifications/initialized`, `.../cancelled`) need no answer.
        return Ok(None);
    };
    if !(id.is_string() || id.is_i64() || id.is_u64()) {
        return Ok(Some(error(
            Value::Null,
            INVALID_REQUEST,
            "Invalid Request: id must be a string or an integer",
        )));
    }
    let params = message.get("params").cloned().unwrap_or_else(|| json!({}));
    if !params.is_object() {
        return Ok(Some(error(
            id,
            INVALID_PARAMS,
            "Invalid params: must be an object",
        )));
    }
    Ok(Some(match method {
        "initialize" => success(id, initialize(&params)),
        "ping" => success(id, json!({})),
        "tools/list" => success(id, json!({ "tools": tool_list() })),
        "tools/call" => call_tool(id, &params, toolbox)?,
        other => error(id, METHOD_NOT_FOUND, format!("Method not found: {other}")),
    }))
}

fn initialize(params: &Value) -> Value {
    let requested = params.get("protocolVersion").and_then(Value::as_str);
    let version = requested
        .filter(|v| PROTOCOL_VERSIONS.contains(v))
        .unwrap_or(PROTOCOL_VERSIONS[0]);
    json!({
        "protocolVersion": version,
        "capabilities": { "tools": { "listChanged": false } },
        "serverInfo": { "name": "taskspin", "version": env!("CARGO_PKG_VERSION") },
        "instructions": "Manage the user's Taskspin tasks: add, list, complete, update and delete tasks, \
                         and accept or dismiss the suggestions of their agents.",
    })
}

fn tool_list() -> Vec<Value> {
    tools::definitions()
        .into_iter()
        .map(|tool| {
            json!({
                "name": tool.name,
                "description": tool.description,
                "inputSchema": tool.input_schema,
            })
        })
        .collect()
}

fn call_tool(id: Value, params: &Value, toolbox: &Toolbox<'_>) -> taskspin_db::Result<Value> {
    let Some(name) = params.get("name").and_then(Value::as_str) else {
        return Ok(error(
            id,
            INVALID_PARAMS,
            "Invalid params: name is required",
        ));
    };
    if !tools::definitions().iter().any(|tool| tool.name == name) {
        return Ok(error(id, INVALID_PARAMS, format!("Unknown tool: {name}")));
    }
    let arguments = params
        .get("arguments")
        .cloned()
        .unwrap_or_else(|| json!({}));
    if !arguments.is_object() {
        return Ok(error(
            id,
            INVALID_PARAMS,
            "Invalid params: arguments must be an object",
        ));
    }
    let output = toolbox.call(name, &arguments)?;
    Ok(success(
        id,
        json!({
            "content": [{ "type": "text", "text": output.result.to_string() }],
            "structuredContent": output.result,
            "isError": output.is_error,
        }),
    ))
}
