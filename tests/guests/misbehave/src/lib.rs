//! Test-only: a guest that misbehaves on purpose, to show that one bad
//! request harms only itself (tests/tests/integration/misbehaving_guest.rs).

use spin_sdk::http::{Request, Response};
use spin_sdk::http_component;

#[http_component]
fn handle(request: Request) -> Response {
    match request.path() {
        "/trap" => panic!("a trap, on purpose"),
        "/loop" => {
            let mut turns: u64 = 0;
            loop {
                turns = std::hint::black_box(turns.wrapping_add(1));
            }
        }
        "/hoard" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(std::hint::black_box(vec![1; 1 << 20]));
            }
        }
        _ => Response::new(200, "fine"),
    }
}
