//! A model behind OpenAI's Chat Completions API (OpenAI, Ollama, vLLM,
//! llama.cpp's server), reached through Spin's outbound HTTP: its settings
//! from Spin variables, and one request/answer. The assistant's tool loop and
//! the agents' rationales build on it.

pub mod transport;

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use transport::TransportError;

/// Where the model is and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAiSettings {
    /// The server's origin, e.g. `https://api.openai.com` or `http://ollama:11434`.
    pub base_url: String,
    pub model: String,
    pub api_key: String,
    pub timeout: Duration,
}

impl OpenAiSettings {
    /// Reads `llm_provider`, `llm_base_url`, `llm_model`, `llm_api_key` and
    /// `llm_timeout_ms` through `get` (Spin variables in a component):
    /// `None` when the provider is `rules`, that is, no model.
    pub fn from_lookup(
        get: impl Fn(&str) -> Result<String, String>,
    ) -> Result<Option<Self>, String> {
        let provider = get("llm_provider")?;
        match provider.trim() {
            "" | "rules" => Ok(None),
            "openai" => {
                let base_url = get("llm_base_url")?.trim().to_owned();
                if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
                    return Err(format!(
                        "llm_base_url must be an http:// or https:// origin, not {base_url:?}"
                    ));
                }
                let timeout_ms: u64 = get("llm_timeout_ms")?
                    .trim()
                    .parse()
                    .ok()
                    .filter(|ms| (1..=600_000).contains(ms))
                    .ok_or("llm_timeout_ms must be a number of milliseconds from 1 to 600000")?;
                Ok(Some(Self {
                    base_url,
                    model: get("llm_model")?.trim().to_owned(),
                    api_key: get("llm_api_key")?.trim().to_owned(),
                    timeout: Duration::from_millis(timeout_ms),
                }))
            }
            other => Err(format!(
                "llm_provider must be rules or openai, not {other:?}"
            )),
        }
    }

    /// The same, from the component's Spin variables.
    pub fn from_variables() -> Result<Option<Self>, String> {
        Self::from_lookup(|name| spin_sdk::variables::get(name).map_err(|e| e.to_string()))
    }

    pub fn endpoint(&self) -> String {
        format!(
            "{}/v1/chat/completions",
            self.base_url.trim_end_matches('/')
        )
    }
}

/// Sends one JSON POST: the outbound HTTP transport, or a stand-in in tests.
pub type Post<'p> =
    dyn Fn(&str, &[(&str, String)], &[u8], Duration) -> Result<(u16, Vec<u8>), TransportError> + 'p;

#[derive(Debug, Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Debug, Deserialize)]
struct Choice {
    message: AssistantMessage,
}

/// The model's answer: text, or tool calls.
#[derive(Debug, Deserialize)]
pub struct AssistantMessage {
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub tool_calls: Vec<RequestedCall>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RequestedCall {
    pub id: String,
    pub function: RequestedFunction,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RequestedFunction {
    pub name: String,
    /// JSON text, as the API sends it; models sometimes send invalid JSON.
    #[serde(default)]
    pub arguments: String,
}

/// What went wrong talking to the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("the language model did not answer within {0} ms")]
    Timeout(u128),
    #[error("the language model could not be reached: {0}")]
    Unreachable(String),
    #[error("the language model answered HTTP {0}")]
    Status(u16),
    #[error("the language model's answer was not a chat completion: {0}")]
    Malformed(String),
}

/// Sends one Chat Completions request (`body` without `model`, which the
/// settings add) and returns the first choice's message.
pub fn complete(
    settings: &OpenAiSettings,
    post: &Post<'_>,
    mut body: Value,
) -> Result<AssistantMessage, ModelError> {
    body["model"] = Value::String(settings.model.clone());
    let mut headers = Vec::new();
    if !settings.api_key.is_empty() {
        headers.push(("authorization", format!("Bearer {}", settings.api_key)));
    }
    let body = serde_json::to_vec(&body).map_err(|e| ModelError::Malformed(e.to_string()))?;
    let (status, answer) = post(&settings.endpoint(), &headers, &body, settings.timeout).map_err(
        |error| match error {
            TransportError::Timeout => ModelError::Timeout(settings.timeout.as_millis()),
            TransportError::Failed(reason) => ModelError::Unreachable(reason),
        },
    )?;
    if !(200..300).contains(&status) {
        return Err(ModelError::Status(status));
    }
    let completion: Completion =
        serde_json::from_slice(&answer).map_err(|e| ModelError::Malformed(e.to_string()))?;
    completion
        .choices
        .into_iter()
        .next()
        .map(|choice| choice.message)
        .ok_or_else(|| ModelError::Malformed("no choices".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lookup<'a>(
        values: &'a [(&'a str, &'a str)],
    ) -> impl Fn(&str) -> Result<String, String> + 'a {
        move |name| {
            values
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
                .ok_or_else(|| format!("no variable {name}"))
        }
    }

    #[test]
    fn settings_come_from_the_variables() {
        assert_eq!(
            OpenAiSettings::from_lookup(lookup(&[("llm_provider", "rules")])),
            Ok(None)
        );
        let settings = OpenAiSettings::from_lookup(lookup(&[
            ("llm_provider", "openai"),
            ("llm_base_url", "http://127.0.0.1:11434/"),
            ("llm_model", "llama3.2"),
            ("llm_api_key", ""),
            ("llm_timeout_ms", "1500"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(settings.timeout, Duration::from_millis(1500));
        assert_eq!(
            settings.endpoint(),
            "http://127.0.0.1:11434/v1/chat/completions"
        );
        assert!(OpenAiSettings::from_lookup(lookup(&[("llm_provider", "gpt")])).is_err());
        assert!(
            OpenAiSettings::from_lookup(lookup(&[
                ("llm_provider", "openai"),
                ("llm_base_url", "ftp://x"),
            ]))
            .is_err()
        );
    }

    #[test]
    fn errors_of_the_transport_and_the_answer_are_model_errors() {
        let settings = OpenAiSettings {
            base_url: "http://model".into(),
            model: "m".into(),
            api_key: "k".into(),
            timeout: Duration::from_millis(250),
        };
        let timeout: &Post<'_> = &|_, _, _, _| Err(TransportError::Timeout);
        assert_eq!(
            complete(&settings, timeout, json!({})).unwrap_err(),
            ModelError::Timeout(250)
        );
        let failing: &Post<'_> = &|_, _, _, _| Ok((500, b"{}".to_vec()));
        assert_eq!(
            complete(&settings, failing, json!({})).unwrap_err(),
            ModelError::Status(500)
        );
        let garbage: &Post<'_> = &|_, _, _, _| Ok((200, b"<html>".to_vec()));
        assert!(matches!(
            complete(&settings, garbage, json!({})),
            Err(ModelError::Malformed(_))
        ));
        let fine: &Post<'_> = &|_, headers, body, _| {
            assert_eq!(headers, [("authorization", "Bearer k".to_owned())]);
            assert_eq!(serde_json::from_slice::<Value>(body).unwrap()["model"], "m");
            Ok((
                200,
                br#"{"choices":[{"message":{"role":"assistant","content":"hi"}}]}"#.to_vec(),
            ))
        };
        assert_eq!(
            complete(&settings, fine, json!({}))
                .unwrap()
                .content
                .as_deref(),
            Some("hi")
        );
    }
}
