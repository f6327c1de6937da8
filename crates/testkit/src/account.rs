//! A signed-in user of the app under test, speaking its JSON API.

use reqwest::Response;
use serde_json::Value;

use crate::TestApp;

pub struct Account {
    pub client: reqwest::Client,
    base: String,
}

/// A JSON response body.
pub async fn json(response: Response) -> Value {
    response.json().await.expect("JSON body")
}

/// The fields a problem document names in `errors`, in order.
pub fn problem_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl Account {
    /// Signs up a new account with this email.
    pub async fn new(app: &TestApp, email: &str) -> Self {
        Self {
            client: app.sign_up(email).await,
            base: app.url(""),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Value {
        json(self.client.get(self.url(path)).send().await.expect("GET")).await
    }

    pub async fn post(&self, path: &str) -> Response {
        self.client.post(self.url(path)).send().await.expect("POST")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// Creates a task, which must succeed.
    pub async fn create_task(&self, task: Value) -> Value {
        let response = self.post_json("/api/tasks", &task).await;
        assert_eq!(response.status(), 201, "create {task}");
        json(response).await
    }

    /// `GET /api/tasks?{query}`, which must succeed.
    pub async fn list_tasks(&self, query: &str) -> Value {
        let response = self
            .client
            .get(self.url(&format!("/api/tasks?{query}")))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200, "{query}");
        json(response).await
    }

    pub async fn task_titles(&self, query: &str) -> Vec<String> {
        self.list_tasks(query).await["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .filter_map(|t| t["title"].as_str().map(str::to_owned))
            .collect()
    }

    /// A personal access token for this account.
    pub async fn token(&self, name: &str) -> String {
        let created = json(
            self.post_json("/api/auth/tokens", &serde_json::json!({"name": name}))
                .await,
        )
        .await;
        created["token"].as_str().expect("token").to_owned()
    }

    pub async fn me(&self) -> Value {
        self.get("/api/auth/me").await
    }
}
