//! Bulk bytes to the page over a loopback WebSocket (terminal output).
//!
//! Why not a `tauri::ipc::Channel`: on Linux the page receives a channel message larger
//! than 1 KiB through a fetch of Tauri's custom scheme, and WebKitGTK reads such a response
//! in 8 KiB pieces, one main-loop turn and one IPC message each. Measured under Xvfb: a
//! `cat` of a 50 MB file reached xterm.js at 55-60 MB/s that way, below the PTY's own
//! rate, while WebKitGTK delivers WebSocket messages of 64 KiB to page JavaScript at
//! 250-280 MB/s. End to end (scripts/bench/exec, same machine, alternating builds) the
//! socket took `cat` from 41-45 to 44-58 MB/s and halved the app process's CPU: xterm.js
//! in the page is now the limit. A socket also keeps the exit in order after the output.
//!
//! Each stream has a one-time URL, `ws://127.0.0.1:PORT/TOKEN`, with 122 random bits in
//! the token: the listener only accepts on loopback, a token is taken by the first
//! handshake that names it, and an unknown or spent token is refused with 404. So another
//! local process can neither read a terminal nor guess its way in. Until the page connects,
//! frames wait in memory (the PTY's flow control bounds them), even when the sender is
//! already gone (a shell that failed at once: its output and exit must still be seen); a
//! stream nobody claims within [`UNCLAIMED`] is dropped. When the sender is dropped the
//! stream ends and the socket closes normally after the last frame.
//!
//! The page may answer on the same socket with text messages, handed to the stream's
//! [`Inbound`] (a terminal's flow-control acks): one frame on an open connection instead of
//! one `invoke` (a fetch of the custom scheme and its reply) per ack.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;

/// What a stream carries: output bytes, or a JSON event (text) in order with them.
#[derive(Debug)]
pub enum Frame {
    Bytes(Vec<u8>),
    Text(String),
}

/// What a stream does with a text message from the page (called on the runtime, in order).
pub type Inbound = Box<dyn FnMut(&str) + Send>;

/// Consecutive byte frames that wait while the page is behind go out as one message, up to
/// this size: fewer, larger messages are what makes the socket fast.
const COALESCE: usize = 1024 * 1024;

/// How long a stream waits for the page. The page connects as soon as `pty_open` returns,
/// so a stream unclaimed for this long belongs to a page that went away (a reload).
pub const UNCLAIMED: Duration = Duration::from_secs(60);

type Pending = Arc<Mutex<PendingMap>>;

/// The loopback listener and the streams not yet connected. The port is bound at start (the
/// page's content security policy names it, see [`csp_with_source`]); accepting starts with
/// the first stream, as most starts of the app never open a terminal.
pub struct Streams {
    /// Why there is no port when loopback could not be bound: the app runs on and opening
    /// a terminal says why.
    addr: Result<SocketAddr, String>,
    idle: Mutex<Option<std::net::TcpListener>>,
    pending: Pending,
    unclaimed: Duration,
}

/// The writing end of one stream; dropping it ends the stream.
pub struct StreamSender {
    tx: mpsc::UnboundedSender<Frame>,
}

impl Streams {
    /// Binds 127.0.0.1 on a free port.
    pub fn bind() -> std::io::Result<Self> {
        Self::bind_with_wait(UNCLAIMED)
    }

    /// [`Streams::bind`] with another wait for the page (tests pass a short one).
    pub fn bind_with_wait(unclaimed: Duration) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        Ok(Self {
            addr: Ok(listener.local_addr()?),
            idle: Mutex::new(Some(listener)),
            pending: Pending::default(),
            unclaimed,
        })
    }

    /// No streams, for the reason given (loopback could not be bound at start).
    pub fn unavailable(why: String) -> Self {
        Self {
            addr: Err(why),
            idle: Mutex::new(None),
            pending: Pending::default(),
            unclaimed: UNCLAIMED,
        }
    }

    /// The source the page's `connect-src` must allow: this port only. A bare
    /// `ws://127.0.0.1:*` would also let the page send requests to every HTTP server on
    /// loopback, since a `ws:` source matches `http:` URLs too.
    pub fn csp_source(&self) -> Option<String> {
        self.addr.as_ref().ok().map(|a| format!("ws://{a}"))
    }

    /// A new stream: the URL the page connects to, and the sender for its frames. Called on
    /// a tokio runtime: the first call spawns the accepting task there.
    /// The page's text messages on it go to `inbound` (dropped without one).
    pub fn open_with(&self, inbound: Option<Inbound>) -> std::io::Result<(String, StreamSender)> {
        let addr = *self
            .addr
            .as_ref()
            .map_err(|why| std::io::Error::other(why.clone()))?;
        let idle = lock(&self.idle).take();
        if let Some(listener) = idle {
            accept(TcpListener::from_std(listener)?, Arc::clone(&self.pending));
        }
        let token = uuid::Uuid::new_v4().simple().to_string();
        let (tx, rx) = mpsc::unbounded_channel();
        let now = Instant::now();
        let mut pending = lock(&self.pending);
        // Pruned here, where streams are made: no timer task needed.
        pending.retain(|_, (born, ..)| now.duration_since(*born) < self.unclaimed);
        pending.insert(token.clone(), (now, rx, inbound));
        drop(pending);
        Ok((format!("ws://{addr}/{token}"), StreamSender { tx }))
    }

    /// Forgets a stream the page will never claim (what it was for failed to start), so
    /// it does not wait out [`UNCLAIMED`].
    pub fn cancel(&self, url: &str) {
        if let Some(token) = url.rsplit('/').next() {
            lock(&self.pending).remove(token);
        }
    }
}

/// `policy` with `source` added to its `connect-src` (created if missing).
pub fn csp_with_source(policy: &str, source: &str) -> String {
    let mut found = false;
    let mut parts: Vec<String> = policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            if d.split_whitespace().next() == Some("connect-src") {
                found = true;
                format!("{d} {source}")
            } else {
                d.to_string()
            }
        })
        .collect();
    if !found {
        parts.push(format!("connect-src {source}"));
    }
    parts.join("; ")
}

fn accept(listener: TcpListener, pending: Pending) {
    tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((socket, _)) => {
                    tokio::spawn(serve(socket, Arc::clone(&pending)));
                }
                Err(e) => {
                    // Out of descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "stream listener: accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    });
}

impl StreamSender {
    /// False once the page has gone (closed the socket or never will read again).
    pub fn send(&self, frame: Frame) -> bool {
        self.tx.send(frame).is_ok()
    }
}

type PendingMap = HashMap<String, (Instant, mpsc::UnboundedReceiver<Frame>, Option<Inbound>)>;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // What these locks guard stays consistent even if a holder panicked: each change is
    // one call (an insert, a remove, a take).
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One connection: the handshake takes the token's frames, then they are written in order.
async fn serve(socket: TcpStream, pending: Pending) {
    if let Err(e) = socket.set_nodelay(true) {
        tracing::debug!(error = %e, "stream: nodelay not set");
    }
    let mut taken = None;
    // The signature is tungstenite's callback's: the large error is its type, not ours.
    #[allow(clippy::result_large_err)]
    let check = |req: &Request, res: Response| -> Result<Response, ErrorResponse> {
        let token = req.uri().path().trim_start_matches('/');
        match lock(&pending).remove(token) {
            Some((_, rx, inbound)) => {
                taken = Some((rx, inbound));
                Ok(res)
            }
            None => {
                let mut refused = ErrorResponse::new(Some("unknown stream".into()));
                *refused.status_mut() = StatusCode::NOT_FOUND;
                Err(refused)
            }
        }
    };
    let ws = match tokio_tungstenite::accept_hdr_async(socket, check).await {
        Ok(ws) => ws,
        Err(e) => {
            tracing::debug!(error = %e, "stream handshake refused");
            return;
        }
    };
    let Some((mut rx, mut inbound)) = taken else {
        return;
    };
    let (mut out, mut incoming) = ws.split();
    let mut carry: Option<Frame> = None;
    loop {
        let frame = match carry.take() {
            Some(f) => f,
            None => tokio::select! {
                f = rx.recv() => match f { Some(f) => f, None => break },
                // A close or an error from the page ends the stream.
                m = incoming.next() => match m {
                    Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                    Some(Ok(Message::Text(t))) => {
                        if let Some(f) = inbound.as_mut() {
                            f(t.as_str());
                        }
                        continue;
                    }
                    Some(Ok(_)) => continue,
                },
            },
        };
        let message = match frame {
            Frame::Text(t) => Message::text(t),
            Frame::Bytes(mut bytes) => {
                while bytes.len() < COALESCE {
                    match rx.try_recv() {
                        Ok(Frame::Bytes(more)) => bytes.extend_from_slice(&more),
                        Ok(other) => {
                            carry = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                Message::binary(bytes)
            }
        };
        if let Err(e) = out.send(message).await {
            tracing::debug!(error = %e, "stream: the page went away");
            return;
        }
    }
    if let Err(e) = out.close().await {
        tracing::debug!(error = %e, "stream: close not acknowledged");
    }
}

#[cfg(test)]
mod tests;
