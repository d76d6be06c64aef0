//! Semantic search through the app layer, as the Search panel, Ctrl+T and AI context use
//! it: the semantic index starts with the project, follows outside edits (watcher) and our
//! own saves, answers by words at once and by meaning after re-embedding, survives a
//! restart without embedding again, and goes with `forget`. Uses the real local model.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use aura_app::{App, RetrievalMode, RetrievalQuery, SemanticState};
use aura_fs::Encoding;
use aura_testkit::{TempProject, TestHome};

const FRESH: Duration = Duration::from_secs(1);
const EMBEDDED: Duration = Duration::from_secs(300);

fn live_app(home: &TestHome) -> App {
    let app = App::start(home.dirs()).unwrap();
    app.set_fs_listener(Arc::new(|_, _| {}));
    app
}

fn top(app: &App, id: &str, q: &str, mode: RetrievalMode) -> Option<(String, Option<String>)> {
    let r = app
        .retrieve(
            id,
            &RetrievalQuery {
                query: q.into(),
                k: Some(5),
                mode,
                ..Default::default()
            },
        )
        .unwrap();
    r.chunks.into_iter().next().map(|c| (c.path, c.symbol))
}

/// Polls until `check` holds, failing after [`FRESH`] from `since`.
fn within_a_second(since: Instant, what: &str, mut check: impl FnMut() -> bool) {
    while !check() {
        assert!(
            since.elapsed() < FRESH,
            "{what}: not after {:?}",
            since.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ready(app: &App, id: &str) {
    let s = app.semantic_wait(id, EMBEDDED).unwrap();
    assert_eq!(s.state, SemanticState::Ready, "{s:?}");
    assert_eq!(s.chunks_embedded, s.chunks);
}

#[test]
fn outside_edits_and_own_saves_reach_words_symbols_and_vectors() {
    let home = TestHome::new();
    let app = live_app(&home);
    let proj = TempProject::with_files(&[(
        "shop/cart.py",
        "def cart_total(items):\n    \"\"\"Price times quantity over all items.\"\"\"\n    return sum(i.price * i.qty for i in items)\n",
    )]);
    let id = app.project_open(proj.path()).unwrap().id;
    ready(&app, &id);

    // Another program adds a function: words and Ctrl+T find it within a second.
    let t = Instant::now();
    proj.write(
        "shop/cart.py",
        "def cart_total(items):\n    return sum(i.price * i.qty for i in items)\n\n\ndef apply_coupon(total, coupon):\n    \"\"\"Takes the coupon's percentage off the total.\"\"\"\n    return total * (100 - coupon.percent) / 100\n",
    );
    within_a_second(t, "apply_coupon by words", || {
        top(&app, &id, "apply coupon", RetrievalMode::Bm25)
            .is_some_and(|h| h.1.as_deref() == Some("apply_coupon"))
    });
    let syms = app.search_symbols(&id, "coupon", 5).unwrap();
    assert_eq!(syms[0].name, "apply_coupon");
    assert_eq!((syms[0].path.as_str(), syms[0].line), ("shop/cart.py", 5));
    // And by meaning once it is embedded.
    ready(&app, &id);
    assert_eq!(
        top(
            &app,
            &id,
            "discount voucher reduces the price",
            RetrievalMode::Vector
        )
        .and_then(|h| h.1),
        Some("apply_coupon".to_owned())
    );

    // A save from the editor (the watcher does not echo our own saves).
    let t = Instant::now();
    app.fs_write(
        &id,
        "shop/shipping.py",
        "def shipping_cost(weight_kg):\n    return 4.99 + 1.2 * weight_kg\n",
        Encoding::Utf8,
        None,
    )
    .unwrap();
    within_a_second(t, "shipping_cost after our own save", || {
        app.search_symbols(&id, "shipping_cost", 5)
            .unwrap()
            .first()
            .map(|s| s.path.clone())
            == Some("shop/shipping.py".to_owned())
    });
    ready(&app, &id);
    assert_eq!(
        top(
            &app,
            &id,
            "how much does delivery cost by weight",
            RetrievalMode::Hybrid
        )
        .map(|h| h.0),
        Some("shop/shipping.py".to_owned())
    );
}

#[test]
fn a_restart_keeps_the_index_and_forget_removes_it() {
    let home = TestHome::new();
    let proj = TempProject::with_files(&[
        (
            "a.rs",
            "/// Reverses the words of a sentence.\npub fn reverse_words(s: &str) -> String {\n    s.split(' ').rev().collect::<Vec<_>>().join(\" \")\n}\n",
        ),
        (
            "b.py",
            "def count_vowels(text):\n    return sum(c in 'aeiou' for c in text)\n",
        ),
    ]);
    let id = {
        let app = live_app(&home);
        let id = app.project_open(proj.path()).unwrap().id;
        ready(&app, &id);
        id
    };
    let app = live_app(&home);
    app.project_open(proj.path()).unwrap();
    let s = app.semantic_status(&id).unwrap();
    // Vectors are loaded from disk at open, before any embedding could have happened.
    let s = if s.state == SemanticState::Starting {
        app.semantic_wait(&id, EMBEDDED).unwrap()
    } else {
        s
    };
    assert_eq!(s.chunks_embedded, s.chunks, "{s:?}");
    assert_eq!(
        top(
            &app,
            &id,
            "how many vowels are in a string",
            RetrievalMode::Vector
        )
        .map(|h| h.0),
        Some("b.py".to_owned())
    );
    let derived = home
        .dirs()
        .project_data(&aura_core::ProjectId::parse(&id).unwrap())
        .join("index/semantic");
    assert!(derived.join("chunks.sqlite").is_file());
    app.project_forget(&id).unwrap();
    assert!(!derived.exists());
    assert!(proj.file("a.rs").is_file(), "the user's files stay");
}
