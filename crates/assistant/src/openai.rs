//! The `openai` provider: the Chat Completions API with tool calling, as
//! OpenAI, Ollama, vLLM and llama.cpp's server speak it. A bounded loop: the
//! model may ask for tools at most [`MAX_MODEL_TURNS`] times per message.

use serde_json::{Value, json};
use taskspin_llm::{OpenAiSettings, Post, RequestedCall, complete};

use crate::conversations::{Message, ToolCall};
use crate::tools::{self, Toolbox};
use crate::{LlmFailure, Turn};

/// Model calls per user message, tool rounds included.
pub const MAX_MODEL_TURNS: usize = 5;

fn tool_specs() -> Vec<Value> {
    tools::definitions()
        .into_iter()
        .map(|tool| {
            json!({
                "type": "function",
                "function": {
                    "name": tool.name,
                    "description": tool.description,
                    "parameters": tool.input_schema,
                }
            })
        })
        .collect()
}

/// The stored conversation as Chat Completions messages. Calls the model
/// made are replayed with their ids; the rules provider's calls, which have
/// none, are summarised in the reply's text.
fn history_messages(history: &[Message]) -> Vec<Value> {
    let mut messages = Vec::new();
    for message in history {
        if message.role == "user" {
            messages.push(json!({ "role": "user", "content": message.content }));
            continue;
        }
        let (replayed, summarised): (Vec<&ToolCall>, Vec<&ToolCall>) = message
            .tool_calls
            .iter()
            .partition(|call| call.id.is_some());
        if !replayed.is_empty() {
            messages.push(json!({
                "role": "assistant",
                "content": null,
                "tool_calls": replayed.iter().map(|call| json!({
                    "id": call.id,
                    "type": "function",
                    "function": { "name": call.name, "arguments": arguments_text(&call.arguments) },
                })).collect::<Vec<_>>(),
            }));
            for call in &replayed {
                messages.push(json!({
                    "role": "tool",
                    "tool_call_id": call.id,
                    "content": call.result.to_string(),
                }));
            }
        }
        let mut content = message.content.clone();
        for call in summarised {
            content.push_str(&format!(
                "\n[{} {} → {}]",
                call.name, call.arguments, call.result
            ));
        }
        messages.push(json!({ "role": "assistant", "content": content }));
    }
    messages
}

fn arguments_text(arguments: &Value) -> String {
    match arguments {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    }
}

/// Answers the last message of `history` (the user's) with the model's help.
pub fn respond(
    settings: &OpenAiSettings,
    post: &Post<'_>,
    toolbox: &Toolbox<'_>,
    system_prompt: &str,
    history: &[Message],
) -> Result<Turn, LlmFailure> {
    let mut messages = vec![json!({ "role": "system", "content": system_prompt })];
    messages.extend(history_messages(history));
    let tools = tool_specs();
    let mut calls: Vec<ToolCall> = Vec::new();

    for _ in 0..MAX_MODEL_TURNS {
        let body = json!({
            "messages": messages,
            "tools": tools,
            "tool_choice": "auto",
        });
        let answer = complete(settings, post, body).map_err(|error| LlmFailure::Model {
            error,
            tool_calls: calls.clone(),
        })?;
        if answer.tool_calls.is_empty() {
            let reply = answer
                .content
                .filter(|content| !content.trim().is_empty())
                .unwrap_or_else(|| "Done.".to_owned());
            return Ok(Turn {
                reply,
                tool_calls: calls,
            });
        }
        messages.push(json!({
            "role": "assistant",
            "content": answer.content,
            "tool_calls": answer.tool_calls.iter().map(|call| json!({
                "id": call.id,
                "type": "function",
                "function": { "name": call.function.name, "arguments": call.function.arguments },
            })).collect::<Vec<_>>(),
        }));
        for requested in answer.tool_calls {
            let call = run(toolbox, &requested).map_err(|error| LlmFailure::Database {
                error,
                tool_calls: calls.clone(),
            })?;
            messages.push(json!({
                "role": "tool",
                "tool_call_id": requested.id,
                "content": call.result.to_string(),
            }));
            calls.push(call);
        }
    }
    let reply = format!(
        "I stopped after {MAX_MODEL_TURNS} steps without finishing, so some of your request may be undone. {}",
        if calls.is_empty() {
            "Nothing was changed.".to_owned()
        } else {
            format!(
                "What I did: {}.",
                calls
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    Ok(Turn {
        reply,
        tool_calls: calls,
    })
}

/// Runs one requested call; arguments that are not a JSON object are
/// reported back to the model as the call's error.
fn run(toolbox: &Toolbox<'_>, requested: &RequestedCall) -> taskspin_db::Result<ToolCall> {
    let raw = requested.function.arguments.trim();
    let parsed: Result<Value, _> = if raw.is_empty() {
        Ok(json!({}))
    } else {
        serde_json::from_str(raw)
    };
    let (arguments, result) = match parsed {
        Ok(arguments) => {
            let output = toolbox.call(&requested.function.name, &arguments)?;
            (arguments, output.result)
        }
        Err(error) => (
            Value::String(requested.function.arguments.clone()),
            json!({ "error": format!("the arguments are not valid JSON ({error}); send a JSON object") }),
        ),
    };
    Ok(ToolCall {
        id: Some(requested.id.clone()),
        name: requested.function.name.clone(),
        arguments,
        result,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assistant(content: &str, calls: Vec<ToolCall>) -> Message {
        Message {
            id: 2,
            role: "assistant".into(),
            content: content.into(),
            tool_calls: calls,
            created_at: String::new(),
        }
    }

    #[test]
    fn history_replays_the_models_calls_and_summarises_the_rules_calls() {
        let user = Message {
            id: 1,
            role: "user".into(),
            content: "add milk".into(),
            tool_calls: Vec::new(),
            created_at: String::new(),
        };
        let by_model = ToolCall {
            id: Some("call_1".into()),
            name: "add_task".into(),
            arguments: json!({"title": "Milk"}),
            result: json!({"task_id": 1, "status": "created", "title": "Milk"}),
        };
        let messages = history_messages(&[user.clone(), assistant("Added.", vec![by_model])]);
        assert_eq!(messages.len(), 4);
        assert_eq!(
            messages[1]["tool_calls"][0]["function"]["arguments"],
            "{\"title\":\"Milk\"}"
        );
        assert_eq!(messages[2]["role"], "tool");
        assert_eq!(messages[2]["tool_call_id"], "call_1");
        assert_eq!(messages[3]["content"], "Added.");

        let by_rules = ToolCall {
            id: None,
            name: "add_task".into(),
            arguments: json!({"title": "Milk"}),
            result: json!({"task_id": 1}),
        };
        let messages = history_messages(&[user, assistant("Added.", vec![by_rules])]);
        assert_eq!(messages.len(), 2);
        assert!(
            messages[1]["content"]
                .as_str()
                .unwrap()
                .contains("add_task")
        );
    }
}
