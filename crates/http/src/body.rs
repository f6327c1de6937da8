//! JSON request bodies: malformed JSON is a 400; a body that is JSON but not
//! the expected shape (unknown field, wrong type) is a 422 naming the field.

use serde::de::DeserializeOwned;
use spin_sdk::http::Request;

use crate::{ApiResult, FieldError, Problem};

pub fn json_body<T: DeserializeOwned>(request: &Request) -> ApiResult<T> {
    let content_type = request
        .header("content-type")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    if !content_type.is_empty() && !content_type.starts_with("application/json") {
        return Err(Problem::new(415, "Send the body as application/json.").into());
    }
    let body = request.body();
    if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        return Err(Problem::new(400, format!("The body is not valid JSON: {error}.")).into());
    }
    // Every body this API takes is an object; serde would also read a
    // struct from an array of its fields in order.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(vec![FieldError {
            field: "body".to_owned(),
            message: "must be a JSON object".to_owned(),
        }]
        .into());
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        // serde's message ends with "at line 1 column 42": the field says where.
        let message = error.inner().to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned();
        vec![FieldError { field, message }].into()
    })
}
