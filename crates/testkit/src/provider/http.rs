//! Just enough HTTP/1.1: one request per connection, chunked responses for streams, so a
//! drop mid-stream is a broken body the client can tell from a finished one.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use super::wire::{self, Format};
use super::{Outcome, Recorded, Reply, State, lock};

pub async fn serve(
    listener: std::net::TcpListener,
    state: Arc<State>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(_) => return,
    };
    loop {
        tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => {
                if let Ok((sock, _)) = accepted {
                    let _ = sock.set_nodelay(true);
                    tokio::spawn(handle(sock, Arc::clone(&state)));
                }
            }
        }
    }
}

struct Request {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
}

async fn read_request(r: &mut OwnedReadHalf) -> Option<Request> {
    let mut buf = Vec::with_capacity(4096);
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 1 << 20 {
            return None;
        }
        let n = r.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = r.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&tmp[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    Some(Request {
        method,
        path,
        query,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

async fn handle(sock: TcpStream, state: Arc<State>) {
    let (mut r, mut w) = sock.into_split();
    let Some(req) = read_request(&mut r).await else {
        return;
    };
    if req.path.starts_with("/__") {
        control(&req, &state, &mut w).await;
        return;
    }
    let index = state.record(Recorded {
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers: req.headers.clone(),
        body: req.body.clone(),
        outcome: Outcome::Open,
        at_ms: u64::try_from(state.started.elapsed().as_millis()).unwrap_or(u64::MAX),
    });
    let outcome = respond(&req, &state, &mut r, &mut w).await;
    state.finish(index, outcome);
}

async fn control(req: &Request, state: &State, w: &mut OwnedWriteHalf) {
    let (code, body) = match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/__script") => match serde_json::from_str::<Reply>(&req.body) {
            Ok(reply) => {
                lock(&state.queue).push_back(reply);
                (200, "{\"queued\":true}".to_owned())
            }
            Err(e) => (400, serde_json::json!({"error": e.to_string()}).to_string()),
        },
        ("POST", "/__default") => match serde_json::from_str::<Reply>(&req.body) {
            Ok(reply) => {
                *lock(&state.default) = reply;
                (200, "{\"default\":true}".to_owned())
            }
            Err(e) => (400, serde_json::json!({"error": e.to_string()}).to_string()),
        },
        ("GET", "/__requests") => (
            200,
            serde_json::to_string(&*lock(&state.requests)).unwrap_or_default(),
        ),
        _ => (404, "{}".to_owned()),
    };
    let _ = write_whole(w, code, &[], "application/json", &body).await;
}

async fn write_whole(
    w: &mut OwnedWriteHalf,
    code: u16,
    extra: &[(&str, String)],
    content_type: &str,
    body: &str,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {code} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        reason(code),
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes()).await?;
    w.write_all(body.as_bytes()).await?;
    w.shutdown().await
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Waits `ms`, returning early with `false` if the client closed the connection.
async fn pause_or_closed(r: &mut OwnedReadHalf, ms: u64) -> bool {
    if ms == 0 {
        return true;
    }
    let mut b = [0u8; 64];
    tokio::select! {
        _ = tokio::time::sleep(Duration::from_millis(ms)) => true,
        n = r.read(&mut b) => !matches!(n, Ok(0) | Err(_)),
    }
}

async fn chunk(w: &mut OwnedWriteHalf, data: &str) -> std::io::Result<()> {
    w.write_all(format!("{:x}\r\n{data}\r\n", data.len()).as_bytes())
        .await?;
    w.flush().await
}

async fn respond(
    req: &Request,
    state: &State,
    r: &mut OwnedReadHalf,
    w: &mut OwnedWriteHalf,
) -> Outcome {
    let done = |res: std::io::Result<()>| match res {
        Ok(()) => Outcome::Completed,
        Err(_) => Outcome::ClientClosed,
    };
    if req.method == "GET" {
        return match wire::models(&req.path) {
            Some(v) => done(write_whole(w, 200, &[], "application/json", &v.to_string()).await),
            None => done(write_whole(w, 404, &[], "application/json", "{}").await),
        };
    }
    let format = Format::of(&req.path);
    let reply = state.next_reply();
    let body: serde_json::Value = serde_json::from_str(&req.body).unwrap_or_default();
    match reply {
        Reply::Hang => {
            // Read until the client gives up; nothing is ever sent.
            let mut b = [0u8; 64];
            loop {
                match r.read(&mut b).await {
                    Ok(0) | Err(_) => return Outcome::ClientClosed,
                    Ok(_) => {}
                }
            }
        }
        Reply::Status {
            code,
            retry_after,
            body: text,
        } => {
            let extra: Vec<(&str, String)> = retry_after
                .map(|s| ("retry-after", s.to_string()))
                .into_iter()
                .collect();
            let text = text.unwrap_or_else(|| wire::error_body(format, code).to_string());
            done(write_whole(w, code, &extra, "application/json", &text).await)
        }
        Reply::Stream(s) => {
            let Some(format) = format else {
                return done(write_whole(w, 404, &[], "application/json", "{}").await);
            };
            if !pause_or_closed(r, s.first_delay_ms).await {
                return Outcome::ClientClosed;
            }
            let model = wire::requested_model(&req.path, &body);
            let streaming = match format {
                Format::Gemini => req.path.contains(":streamGenerateContent"),
                _ => body.get("stream").and_then(serde_json::Value::as_bool) == Some(true),
            };
            if !streaming {
                let v = wire::whole(format, &s, &model);
                return done(write_whole(w, 200, &[], "application/json", &v.to_string()).await);
            }
            let include_usage = body
                .pointer("/stream_options/include_usage")
                .and_then(serde_json::Value::as_bool)
                == Some(true);
            let events = wire::stream(format, &s, &model, include_usage);
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
            if w.write_all(head.as_bytes()).await.is_err() {
                return Outcome::ClientClosed;
            }
            for e in &events.head {
                if chunk(w, e).await.is_err() {
                    return Outcome::ClientClosed;
                }
            }
            for (i, e) in events.pieces.iter().enumerate() {
                if s.drop_after == Some(i) {
                    // Close without the final zero-length chunk: a broken body.
                    let _ = w.shutdown().await;
                    return Outcome::Dropped;
                }
                if i > 0 && !pause_or_closed(r, s.delay_ms).await {
                    return Outcome::ClientClosed;
                }
                let text = if s.malformed_at == Some(i) {
                    wire::malformed(format)
                } else {
                    e.clone()
                };
                if chunk(w, &text).await.is_err() {
                    return Outcome::ClientClosed;
                }
            }
            for e in &events.tail {
                if chunk(w, e).await.is_err() {
                    return Outcome::ClientClosed;
                }
            }
            done(
                async {
                    w.write_all(b"0\r\n\r\n").await?;
                    w.shutdown().await
                }
                .await,
            )
        }
    }
}
