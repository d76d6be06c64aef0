//! The watcher sees external changes quickly, coalesces bursts and does not echo our saves.

// Helpers outside #[test] fns panic on failure by design; timings are reported on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use aura_fs::{Encoding, FsEvent, FsEventKind, Watcher, WriteMode};
use common::{Fixture, rel};

/// The latency assertions must not compete with the 10k-file burst for the CPU.
static SERIAL: Mutex<()> = Mutex::new(());

type Batches = Receiver<(Instant, Vec<FsEvent>)>;

fn start(f: &Fixture) -> (Watcher, Batches) {
    let (tx, rx) = channel();
    let w = f
        .root
        .watch(move |batch| drop(tx.send((Instant::now(), batch))))
        .unwrap();
    (w, rx)
}

/// Waits for an event matching `want`; returns the time from `since` to its batch.
fn wait_for(rx: &Batches, since: Instant, want: impl Fn(&FsEvent) -> bool) -> Duration {
    let deadline = since + Duration::from_secs(3);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok((at, batch)) = rx.recv_timeout(left) {
            if batch.iter().any(&want) {
                return at - since;
            }
            seen.extend(batch);
        }
    }
    panic!("event not seen within 3 s; saw {seen:?}");
}

/// Everything that arrives until `quiet` passes without a batch.
fn drain(rx: &Batches, quiet: Duration) -> Vec<Vec<FsEvent>> {
    let mut out = Vec::new();
    while let Ok((_, b)) = rx.recv_timeout(quiet) {
        out.push(b);
    }
    out
}

fn is(path: &str, kind: FsEventKind) -> impl Fn(&FsEvent) -> bool {
    let path = rel(path);
    move |e| e.path == path && e.kind == kind
}

#[test]
fn external_changes_arrive_within_500ms() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let f = Fixture::new();
    f.write(".gitignore", b"target/\n");
    f.write("target/.keep", b"");
    f.write(".git/HEAD", b"ref");
    let (_w, rx) = start(&f);

    let t = Instant::now();
    std::fs::write(f.p("a.txt"), b"hello").unwrap();
    let d = wait_for(&rx, t, is("a.txt", FsEventKind::Created));
    eprintln!("create seen after {d:?}");
    assert!(d < Duration::from_millis(500), "create took {d:?}");
    drain(&rx, Duration::from_millis(150));

    let t = Instant::now();
    std::fs::write(f.p("a.txt"), b"hello again").unwrap();
    let d = wait_for(&rx, t, is("a.txt", FsEventKind::Modified));
    eprintln!("modify seen after {d:?}");
    assert!(d < Duration::from_millis(500), "modify took {d:?}");
    drain(&rx, Duration::from_millis(150));

    let t = Instant::now();
    std::fs::rename(f.p("a.txt"), f.p("b.txt")).unwrap();
    let d = wait_for(
        &rx,
        t,
        is("b.txt", FsEventKind::Renamed { from: rel("a.txt") }),
    );
    eprintln!("rename seen after {d:?}");
    assert!(d < Duration::from_millis(500), "rename took {d:?}");
    drain(&rx, Duration::from_millis(150));

    // Ignored and .git paths are dropped; the visible change in the same burst is not.
    let t = Instant::now();
    std::fs::write(f.p("target/out.o"), b"obj").unwrap();
    std::fs::write(f.p(".git/index"), b"idx").unwrap();
    std::fs::remove_file(f.p("b.txt")).unwrap();
    let d = wait_for(&rx, t, is("b.txt", FsEventKind::Removed));
    eprintln!("delete seen after {d:?}");
    assert!(d < Duration::from_millis(500), "delete took {d:?}");
    let rest: Vec<FsEvent> = drain(&rx, Duration::from_millis(300))
        .into_iter()
        .flatten()
        .collect();
    assert!(rest.is_empty(), "nothing else reported: {rest:?}");
}

#[test]
fn own_saves_are_not_echoed_but_external_writes_are() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let f = Fixture::new();
    f.write("doc.txt", b"v1");
    let (_w, rx) = start(&f);

    f.root
        .write_text(
            &rel("doc.txt"),
            "v2 from the editor",
            Encoding::Utf8,
            WriteMode::Overwrite,
        )
        .unwrap();
    f.root.create_file(&rel("new.txt"), b"made by us").unwrap();
    let echoed: Vec<FsEvent> = drain(&rx, Duration::from_millis(600))
        .into_iter()
        .flatten()
        .collect();
    assert!(
        echoed.is_empty(),
        "own writes must not come back: {echoed:?}"
    );

    // Control: another program writes different bytes, inside the echo window.
    let t = Instant::now();
    std::fs::write(f.p("doc.txt"), b"v3 from another program").unwrap();
    let d = wait_for(&rx, t, is("doc.txt", FsEventKind::Modified));
    assert!(d < Duration::from_millis(500), "external write took {d:?}");
}

#[test]
fn a_burst_of_10k_files_arrives_as_a_few_bounded_batches() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let f = Fixture::new();
    std::fs::create_dir(f.p("burst")).unwrap();
    let (_w, rx) = start(&f);
    let t = Instant::now();
    for i in 0..10_000 {
        std::fs::write(f.p(&format!("burst/f{i}.txt")), b"x").unwrap();
    }
    eprintln!("created 10k files in {:?}", t.elapsed());
    let batches = drain(&rx, Duration::from_millis(1500));
    let events: usize = batches.iter().map(Vec::len).sum();
    let rescans = batches
        .iter()
        .flatten()
        .filter(|e| e.kind == FsEventKind::Rescan)
        .count();
    let created = batches
        .iter()
        .flatten()
        .filter(|e| e.kind == FsEventKind::Created)
        .count();
    eprintln!(
        "{} batches, {events} events, {rescans} rescans, {created} created",
        batches.len()
    );
    assert!(batches.len() < 50, "{} batches", batches.len());
    assert!(events < 1500, "{events} events");
    let burst_rescan = batches
        .iter()
        .flatten()
        .any(|e| e.kind == FsEventKind::Rescan && (e.path == rel("burst") || e.path.is_root()));
    assert!(burst_rescan || created == 10_000, "the burst is reported");
}

#[test]
fn dropping_the_watcher_stops_delivery() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let f = Fixture::new();
    let (w, rx) = start(&f);
    // Control: it is alive.
    let t = Instant::now();
    std::fs::write(f.p("one.txt"), b"1").unwrap();
    wait_for(&rx, t, is("one.txt", FsEventKind::Created));
    drop(w);
    std::fs::write(f.p("two.txt"), b"2").unwrap();
    assert!(
        rx.recv_timeout(Duration::from_millis(500)).is_err(),
        "no batch after drop"
    );
}
