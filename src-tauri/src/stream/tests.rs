use futures_util::StreamExt as _;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{self, Message};

use super::*;

type Client = tokio_tungstenite::WebSocketStream<TcpStream>;

async fn connect(url: &str) -> Result<Client, tungstenite::Error> {
    let addr = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .expect("the url has a host");
    let tcp = TcpStream::connect(addr)
        .await
        .expect("the listener accepts");
    tokio_tungstenite::client_async(url, tcp)
        .await
        .map(|(ws, _)| ws)
}

/// Everything the server sends until it closes: binary as bytes, text as `T:...`.
async fn drain(mut ws: Client) -> Vec<Frame> {
    let mut got = Vec::new();
    while let Some(m) = ws.next().await {
        match m.expect("a clean stream") {
            Message::Binary(b) => got.push(Frame::Bytes(b.to_vec())),
            Message::Text(t) => got.push(Frame::Text(t.to_string())),
            Message::Close(_) => break,
            _ => {}
        }
    }
    got
}

fn refused_with(e: tungstenite::Error, status: u16) {
    match e {
        tungstenite::Error::Http(res) => assert_eq!(res.status().as_u16(), status),
        other => panic!("expected an HTTP refusal, got {other}"),
    }
}

#[tokio::test]
async fn frames_sent_before_and_after_connecting_arrive_in_order_then_the_socket_closes() {
    let streams = Streams::bind().expect("loopback binds");
    let (url, tx) = streams.open_with(None).expect("the stream opens");
    assert!(url.starts_with("ws://127.0.0.1:"), "{url}");
    // Before the page connects: kept, and the two byte frames may go out as one message.
    assert!(tx.send(Frame::Bytes(b"early ".to_vec())));
    assert!(tx.send(Frame::Bytes(b"bytes".to_vec())));
    let ws = connect(&url).await.expect("the token is accepted");
    assert!(tx.send(Frame::Text("{\"kind\":\"exit\"}".into())));
    assert!(tx.send(Frame::Bytes(vec![0xe2, 0x82, 0xac])));
    drop(tx);
    let got = drain(ws).await;
    let mut bytes_before_text = Vec::new();
    let mut rest = got.iter();
    for f in rest.by_ref() {
        match f {
            Frame::Bytes(b) => bytes_before_text.extend_from_slice(b),
            Frame::Text(t) => {
                assert_eq!(t, "{\"kind\":\"exit\"}");
                break;
            }
        }
    }
    assert_eq!(bytes_before_text, b"early bytes");
    let after: Vec<_> = rest.collect();
    assert!(
        matches!(after.as_slice(), [Frame::Bytes(b)] if b == &[0xe2, 0x82, 0xac]),
        "{after:?}"
    );
}

#[tokio::test]
async fn a_burst_waiting_for_the_page_arrives_whole_in_few_messages_after_the_sender_is_gone() {
    let streams = Streams::bind().expect("loopback binds");
    let (url, tx) = streams.open_with(None).expect("the stream opens");
    for i in 0..1000u32 {
        assert!(tx.send(Frame::Bytes(i.to_le_bytes().repeat(256))));
    }
    drop(tx);
    let got = drain(connect(&url).await.expect("accepted")).await;
    let all: Vec<u8> = got
        .iter()
        .flat_map(|f| match f {
            Frame::Bytes(b) => b.clone(),
            Frame::Text(_) => panic!("no text was sent"),
        })
        .collect();
    let want: Vec<u8> = (0..1000u32)
        .flat_map(|i| i.to_le_bytes().repeat(256))
        .collect();
    assert_eq!(all, want, "every byte, in order");
    // 1 MB in 1000 frames of 1 KiB: coalesced to about one message per COALESCE.
    assert!(got.len() <= 3, "{} messages", got.len());
}

#[tokio::test]
async fn unknown_and_spent_tokens_are_refused() {
    let streams = Streams::bind().expect("loopback binds");
    let (url, _tx) = streams.open_with(None).expect("the stream opens");
    let base = url.rsplit_once('/').expect("a path").0;
    refused_with(
        connect(&format!("{base}/not-a-token"))
            .await
            .expect_err("refused"),
        404,
    );
    // Control: the real token is accepted, once.
    let _first = connect(&url)
        .await
        .expect("the first handshake takes the token");
    refused_with(connect(&url).await.expect_err("spent"), 404);
}

#[tokio::test]
async fn a_stream_the_page_never_claims_is_forgotten_once_made_stale() {
    let streams = Streams::bind_with_wait(Duration::from_millis(50)).expect("loopback binds");
    let (stale, _stale_tx) = streams.open_with(None).expect("the stream opens");
    let (fresh, _fresh_tx) = streams.open_with(None).expect("the stream opens");
    // Control: before the wait is over, an unclaimed stream still connects.
    connect(&fresh).await.expect("claimed in time");
    tokio::time::sleep(Duration::from_millis(80)).await;
    // Streams are pruned when another is opened.
    let (kept, _kept_tx) = streams.open_with(None).expect("the stream opens");
    refused_with(connect(&stale).await.expect_err("stale"), 404);
    connect(&kept).await.expect("the new stream connects");
}

#[tokio::test]
async fn a_cancelled_stream_is_forgotten_at_once() {
    let streams = Streams::bind().expect("loopback binds");
    let (cancelled, _tx) = streams.open_with(None).expect("the stream opens");
    let (kept, _kept_tx) = streams.open_with(None).expect("the stream opens");
    streams.cancel(&cancelled);
    refused_with(connect(&cancelled).await.expect_err("cancelled"), 404);
    // Control: the stream next to it is untouched.
    connect(&kept).await.expect("the other stream connects");
}

#[tokio::test]
async fn the_sender_learns_when_the_page_closes_the_socket() {
    let streams = Streams::bind().expect("loopback binds");
    let (url, tx) = streams.open_with(None).expect("the stream opens");
    let mut ws = connect(&url).await.expect("accepted");
    assert!(
        tx.send(Frame::Bytes(b"x".to_vec())),
        "control: open while the page listens"
    );
    ws.close(None).await.expect("close sent");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while tx.send(Frame::Bytes(b"y".to_vec())) {
        assert!(
            std::time::Instant::now() < deadline,
            "the stream outlived the page's close"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[test]
fn the_stream_source_joins_connect_src() {
    let policy = "default-src 'self'; connect-src ipc: http://ipc.localhost";
    assert_eq!(
        csp_with_source(policy, "ws://127.0.0.1:4242"),
        "default-src 'self'; connect-src ipc: http://ipc.localhost ws://127.0.0.1:4242"
    );
    assert_eq!(
        csp_with_source("default-src 'self'", "ws://127.0.0.1:1"),
        "default-src 'self'; connect-src ws://127.0.0.1:1"
    );
}

#[tokio::test]
async fn the_policy_source_names_the_bound_port() {
    let streams = Streams::bind().expect("loopback binds");
    let (url, _tx) = streams.open_with(None).expect("the stream opens");
    let source = streams.csp_source().expect("bound");
    assert!(url.starts_with(&format!("{source}/")), "{url} vs {source}");
    assert!(!source.ends_with(":*"));
}

#[tokio::test]
async fn without_a_port_opening_a_stream_says_why() {
    let streams = Streams::unavailable("no loopback".into());
    assert_eq!(streams.csp_source(), None);
    let e = streams
        .open_with(None)
        .err()
        .expect("no stream without a port");
    assert!(e.to_string().contains("no loopback"), "{e}");
}

#[tokio::test]
async fn text_from_the_page_reaches_the_streams_inbound_in_order_and_binary_is_ignored() {
    use futures_util::SinkExt as _;
    let streams = Streams::bind().expect("loopback binds");
    let (seen_tx, mut seen) = mpsc::unbounded_channel::<String>();
    let inbound: Inbound = Box::new(move |t| {
        let _ = seen_tx.send(t.to_string());
    });
    let (url, tx) = streams.open_with(Some(inbound)).expect("the stream opens");
    let mut ws = connect(&url).await.expect("accepted");
    ws.send(Message::text("4096")).await.expect("sent");
    ws.send(Message::binary(b"ignored".to_vec()))
        .await
        .expect("sent");
    ws.send(Message::text("17")).await.expect("sent");
    let first = seen.recv().await.expect("the first message");
    let second = seen.recv().await.expect("the second message");
    assert_eq!((first.as_str(), second.as_str()), ("4096", "17"));
    // Output still flows the other way on the same connection.
    assert!(tx.send(Frame::Bytes(b"out".to_vec())));
    drop(tx);
    let got = drain(ws).await;
    assert!(
        matches!(got.as_slice(), [Frame::Bytes(b)] if b == b"out"),
        "{got:?}"
    );
    // A stream opened without an inbound takes the same messages and drops them.
    let (plain, plain_tx) = streams.open_with(None).expect("the stream opens");
    let mut ws = connect(&plain).await.expect("accepted");
    ws.send(Message::text("4096")).await.expect("sent");
    drop(plain_tx);
    assert!(drain(ws).await.is_empty());
}
