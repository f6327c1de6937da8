//! A TCP proxy in front of PostgreSQL that counts what clients send, by
//! message type: `Sync` ends an extended-protocol round trip, `Query` is a
//! simple-protocol one (the reset on checkout), `Execute` runs one of the
//! components' statements. For the profile only
//! (it adds a hop): how many round trips a request costs.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
pub struct Counts {
    pub syncs: AtomicU64,
    pub queries: AtomicU64,
    pub executes: AtomicU64,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Snapshot {
    pub round_trips: u64,
    /// The components' statements (`Execute`): what a request asks for.
    pub statements: u64,
    /// Simple queries: the pool's reset of a connection on checkout.
    pub resets: u64,
}

impl Counts {
    pub fn snapshot(&self) -> Snapshot {
        let queries = self.queries.load(Ordering::Relaxed);
        Snapshot {
            round_trips: self.syncs.load(Ordering::Relaxed) + queries,
            statements: self.executes.load(Ordering::Relaxed),
            resets: queries,
        }
    }
}

pub async fn start(upstream: String) -> anyhow::Result<(SocketAddr, Arc<Counts>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let counts = Arc::new(Counts::default());
    let shared = counts.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (upstream, counts) = (upstream.clone(), shared.clone());
            tokio::spawn(async move {
                if let Ok(server) = TcpStream::connect(&upstream).await {
                    let _ = relay(client, server, counts).await;
                }
            });
        }
    });
    Ok((address, counts))
}

async fn relay(client: TcpStream, server: TcpStream, counts: Arc<Counts>) -> std::io::Result<()> {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    tokio::spawn(async move { tokio::io::copy(&mut from_server, &mut to_client).await });
    // Messages before and including the startup one have no type byte
    // (SSL and GSS encryption requests come first, and are refused).
    let mut typed = false;
    loop {
        let mut kind = [0u8; 1];
        if typed {
            from_client.read_exact(&mut kind).await?;
        }
        let mut length = [0u8; 4];
        from_client.read_exact(&mut length).await?;
        let mut body = vec![0u8; (u32::from_be_bytes(length) as usize).saturating_sub(4)];
        from_client.read_exact(&mut body).await?;
        if !typed {
            to_server.write_all(&length).await?;
            to_server.write_all(&body).await?;
            // Protocol 3.0: the startup message itself.
            typed = body.get(..4) == Some(&[0, 3, 0, 0]);
            continue;
        }
        let counter = match kind[0] {
            b'S' => Some(&counts.syncs),
            b'Q' => Some(&counts.queries),
            b'E' => Some(&counts.executes),
            _ => None,
        };
        if let Some(counter) = counter {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        to_server.write_all(&kind).await?;
        to_server.write_all(&length).await?;
        to_server.write_all(&body).await?;
    }
}
