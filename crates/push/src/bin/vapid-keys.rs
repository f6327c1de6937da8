//! Prints a new VAPID key pair (RFC 8292) as the Spin variables that hold
//! it: `make vapid-keys`, then put the lines in the environment (or a
//! Kubernetes Secret; the private key is secret).

fn main() {
    let pair = taskspin_push::vapid::KeyPair::generate();
    println!("SPIN_VARIABLE_VAPID_PUBLIC_KEY={}", pair.public_key());
    println!("SPIN_VARIABLE_VAPID_PRIVATE_KEY={}", pair.private_key());
}
