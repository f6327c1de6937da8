//! `/api/push/...`: the server's VAPID public key, and the browsers a
//! person gets notifications on (Web Push subscriptions).

use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::signed_in;
use taskspin_http::{ApiResult, Problem, Routes, json, json_body};
use taskspin_push::PushSettings;
use taskspin_push::subscriptions::{
    NewSubscription, PushKey, Refusal, SubscriptionList, Subscriptions,
};

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("push", request, |request| {
        let mut router = Routes::new();
        router.get("/api/push/key", key);
        router.get("/api/push/subscriptions", list);
        router.post("/api/push/subscriptions", subscribe);
        router.delete("/api/push/subscriptions/:id", unsubscribe);
        router.handle(request)
    })
}

/// The settings, or a 404 that says push is not set up here.
fn settings() -> ApiResult<PushSettings> {
    match PushSettings::from_variables() {
        Ok(Some(settings)) => Ok(settings),
        Ok(None) => {
            Err(Problem::new(404, "Push notifications are not set up on this server.").into())
        }
        Err(reason) => Err(taskspin_http::ApiError::internal(reason)),
    }
}

fn key(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |_, _| {
        let settings = settings()?;
        json(
            200,
            &PushKey {
                public_key: settings.keys.public_key().to_owned(),
            },
        )
    })
}

fn list(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        json(
            200,
            &SubscriptionList {
                subscriptions: Subscriptions::new(db, &auth.user.id).list()?,
            },
        )
    })
}

fn subscribe(request: Request, _: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let settings = settings()?;
        let new: NewSubscription = json_body(&request)?;
        let checked = new.check(&settings.allowed)?;
        match Subscriptions::new(db, &auth.user.id).save(&checked)? {
            Ok((subscription, created)) => json(if created { 201 } else { 200 }, &subscription),
            Err(Refusal::TooManyDevices) => Err(Problem::new(
                409,
                format!(
                    "You get notifications on {} browsers already; remove one first.",
                    taskspin_push::subscriptions::MAX_DEVICES
                ),
            )
            .into()),
        }
    })
}

fn unsubscribe(request: Request, params: Params) -> ApiResult {
    signed_in(&request, |db, auth| {
        let not_found = || Problem::new(404, "No such device.");
        let id: i64 = params
            .get("id")
            .and_then(|id| id.parse().ok())
            .ok_or_else(not_found)?;
        if !Subscriptions::new(db, &auth.user.id).remove(id)? {
            return Err(not_found().into());
        }
        Ok(Response::new(204, ()))
    })
}
