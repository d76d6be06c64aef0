//! A local AI provider for tests: an HTTP/1.1 server on 127.0.0.1 that speaks the real wire
//! formats (OpenAI chat/completions SSE with usage and `[DONE]`, Anthropic Messages SSE
//! events, Gemini `streamGenerateContent?alt=sse`) and does what a test scripts: answer
//! slowly, drop the connection mid-stream, send a malformed chunk, answer 429 with
//! Retry-After or 500, or hang. It records every request it received (path, headers, body)
//! and how each one ended, so tests can check FIM request shapes, key headers and that a
//! cancelled stream really closed its connection.
//!
//! The format follows the request path (`/chat/completions`, `/completions`, `/messages`,
//! `:streamGenerateContent`), so one server stands in for every provider. Replies are taken
//! from a queue ([`ProviderServer::push`]), else the default reply. The same server runs as
//! a process for the e2e tests (`aura-provider-server`), scripted over `POST /__script`.

mod http;
mod wire;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// What the server does with one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    /// A streamed (or, when the request asked for no stream, a whole) answer.
    Stream(StreamReply),
    /// An HTTP error status with an optional Retry-After (seconds).
    Status {
        code: u16,
        #[serde(default)]
        retry_after: Option<u32>,
        #[serde(default)]
        body: Option<String>,
    },
    /// Accepts the request and never answers (until the client gives up).
    Hang,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamReply {
    /// The answer, in the pieces it is streamed as.
    pub pieces: Vec<String>,
    /// Wait before the response headers (time to first byte).
    pub first_delay_ms: u64,
    /// Wait between pieces.
    pub delay_ms: u64,
    pub tokens_in: u32,
    pub tokens_out: u32,
    /// Close the connection after this many pieces, without finishing the stream.
    pub drop_after: Option<usize>,
    /// Send a chunk that is not JSON in place of the piece at this index.
    pub malformed_at: Option<usize>,
}

impl Default for StreamReply {
    fn default() -> Self {
        Self {
            pieces: ["Hello", " from", " the", " test", " server", "."]
                .map(String::from)
                .to_vec(),
            first_delay_ms: 0,
            delay_ms: 0,
            tokens_in: 12,
            tokens_out: 6,
            drop_after: None,
            malformed_at: None,
        }
    }
}

impl StreamReply {
    /// An answer streamed as `pieces`.
    pub fn text<S: AsRef<str>>(pieces: &[S]) -> Self {
        Self {
            pieces: pieces.iter().map(|p| p.as_ref().to_owned()).collect(),
            tokens_out: u32::try_from(pieces.len()).unwrap_or(u32::MAX),
            ..Self::default()
        }
    }
    pub fn slow(mut self, delay_ms: u64) -> Self {
        self.delay_ms = delay_ms;
        self
    }
}

impl Reply {
    pub fn text(answer: &str) -> Self {
        Self::Stream(StreamReply::text(&[answer]))
    }
    pub fn status(code: u16) -> Self {
        Self::Status {
            code,
            retry_after: None,
            body: None,
        }
    }
    pub fn retry_after(code: u16, secs: u32) -> Self {
        Self::Status {
            code,
            retry_after: Some(secs),
            body: None,
        }
    }
}

/// How a recorded request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still being answered.
    Open,
    /// The whole reply was sent.
    Completed,
    /// The client closed the connection before the reply was complete.
    ClientClosed,
    /// The server dropped it on purpose (`drop_after`).
    Dropped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub outcome: Outcome,
    /// Milliseconds since the server started.
    pub at_ms: u64,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Debug)]
struct State {
    queue: Mutex<std::collections::VecDeque<Reply>>,
    default: Mutex<Reply>,
    requests: Mutex<Vec<Recorded>>,
    started: Instant,
}

impl State {
    fn next_reply(&self) -> Reply {
        let queued = lock(&self.queue).pop_front();
        queued.unwrap_or_else(|| lock(&self.default).clone())
    }
    fn record(&self, r: Recorded) -> usize {
        let mut reqs = lock(&self.requests);
        reqs.push(r);
        reqs.len() - 1
    }
    fn finish(&self, index: usize, outcome: Outcome) {
        if let Some(r) = lock(&self.requests).get_mut(index) {
            r.outcome = outcome;
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The running server; stopped (its thread joined) when dropped.
#[derive(Debug)]
pub struct ProviderServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProviderServer {
    /// Starts on a free port.
    pub fn start() -> Self {
        Self::start_on(0).expect("a free port on 127.0.0.1")
    }

    /// Starts on `port` (0 = any free one).
    pub fn start_on(port: u16) -> std::io::Result<Self> {
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let state = Arc::new(State {
            queue: Mutex::default(),
            default: Mutex::new(Reply::Stream(StreamReply::default())),
            requests: Mutex::default(),
            started: Instant::now(),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let st = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("provider-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime for the test server");
                rt.block_on(http::serve(std_listener, st, stopped));
            })?;
        Ok(Self {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues a reply for the next request that has none.
    pub fn push(&self, reply: Reply) {
        lock(&self.state.queue).push_back(reply);
    }

    /// The reply used when the queue is empty.
    pub fn set_default(&self, reply: Reply) {
        *lock(&self.state.default) = reply;
    }

    /// Every request so far (control requests to `/__*` excluded).
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.requests).clone()
    }

    /// Waits until `pred` holds for the recorded requests, or `timeout` passes.
    pub fn wait_until(&self, timeout: Duration, pred: impl Fn(&[Recorded]) -> bool) -> bool {
        let end = Instant::now() + timeout;
        loop {
            if pred(&self.requests()) {
                return true;
            }
            if Instant::now() >= end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for ProviderServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
