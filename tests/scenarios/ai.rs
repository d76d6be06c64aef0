//! The AI assistant through the app layer, as the chat panel, the editor's AI actions and
//! inline completion use it, against the local test provider (a real HTTP server speaking
//! OpenAI's wire format): streaming, history per project that survives a restart, context
//! (current file, selection, @file, @codebase) in the request, edits previewed as hunks and
//! applied with the conflict check, and an IDE without any provider.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use aura_app::{
    App, ChatContext, ChatEvent, ChatInput, CompletionInput, EditAction, EditInput, KeyState,
    Selection,
};
use aura_core::ErrorCode;
use aura_core::settings::{ProviderKind, ProviderSettings};
use aura_fs::Encoding;
use aura_store::MemorySecrets;
use aura_testkit::provider::{ProviderServer, Reply};
use aura_testkit::{TempProject, TestHome};

/// An app whose only provider is the test server (no local detection, no retries).
fn app_with(home: &TestHome, server: Option<&ProviderServer>) -> App {
    let app = App::start(home.dirs()).unwrap();
    app.set_secrets(Arc::new(MemorySecrets::default()));
    let mut s = app.settings();
    s.ai.detect_local = false;
    s.ai.max_retries = 0;
    s.ai.providers = server
        .map(|srv| ProviderSettings {
            id: "local".into(),
            kind: ProviderKind::Openai,
            base_url: format!("{}/v1", srv.url()),
            model: "test-model".into(),
            ..ProviderSettings::default()
        })
        .into_iter()
        .collect();
    app.set_settings(s).unwrap();
    app
}

fn project(app: &App, files: &[(&str, &str)]) -> (TempProject, String) {
    let p = TempProject::with_files(files);
    let id = app.project_open(p.path()).unwrap().id;
    (p, id)
}

fn ask(
    app: &App,
    id: &str,
    chat: Option<String>,
    message: &str,
    ctx: ChatContext,
) -> (aura_app::ChatResult, Vec<ChatEvent>) {
    let mut events = Vec::new();
    let input = ChatInput {
        chat_id: chat,
        message: message.into(),
        context: ctx,
        use_cache: false,
    };
    let r = app
        .ai_chat(id, &input, "req-1", &mut |e| events.push(e))
        .unwrap();
    (r, events)
}

fn last_user_message(server: &ProviderServer) -> String {
    let body = server.requests().last().unwrap().json();
    let msgs = body["messages"].as_array().unwrap();
    msgs.last().unwrap()["content"].as_str().unwrap().to_owned()
}

#[test]
fn chat_streams_and_its_history_survives_a_restart() {
    let home = TestHome::new();
    let server = ProviderServer::start();
    server.set_default(Reply::text("unused"));
    server.push(Reply::Stream(aura_testkit::provider::StreamReply::text(&[
        "The ", "answer", ".",
    ])));
    let app = app_with(&home, Some(&server));
    let (_p, id) = project(&app, &[("a.txt", "hi\n")]);
    let (r, events) = ask(&app, &id, None, "first question", ChatContext::default());
    assert_eq!(r.answer.text, "The answer.");
    let deltas: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Delta { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(deltas, ["The ", "answer", "."]);
    assert!(matches!(events.first(), Some(ChatEvent::Started { .. })));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, ChatEvent::Trying { provider, .. } if provider == "local"))
    );
    drop(app);

    // A new process sees the chat; a follow-up sends the history along.
    let app = app_with(&home, Some(&server));
    let chats = app.ai_chat_list(&id).unwrap();
    assert_eq!(chats.len(), 1);
    assert_eq!(chats[0].title, "first question");
    let msgs = app.ai_chat_messages(&id, &chats[0].id).unwrap();
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        (msgs[1].role.as_str(), msgs[1].content.as_str()),
        ("assistant", "The answer.")
    );
    assert_eq!(msgs[1].meta.as_ref().unwrap().provider, "local");
    ask(
        &app,
        &id,
        Some(chats[0].id.clone()),
        "second",
        ChatContext::default(),
    );
    let body = server.requests().last().unwrap().json();
    let contents: Vec<&str> = body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(&contents[1..], ["first question", "The answer.", "second"]);
    assert_eq!(app.ai_chat_messages(&id, &chats[0].id).unwrap().len(), 4);
    // Chats are per project.
    let (_q, other) = project(&app, &[("b.txt", "x\n")]);
    assert!(app.ai_chat_list(&other).unwrap().is_empty());
    assert_eq!(
        app.ai_chat_messages(&other, &chats[0].id).unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn current_file_selection_and_file_mentions_go_into_the_prompt_with_citations() {
    let home = TestHome::new();
    let server = ProviderServer::start();
    let app = app_with(&home, Some(&server));
    let (_p, id) = project(
        &app,
        &[
            ("src/main.py", "import util\nprint(util.twice(2))\n"),
            ("src/util.py", "def twice(x):\n    return 2 * x\n"),
        ],
    );
    let ctx = ChatContext {
        current_file: Some("src/main.py".into()),
        selection: Some(Selection {
            path: "src/main.py".into(),
            start_line: 2,
            end_line: 2,
            text: "print(util.twice(2))".into(),
        }),
        files: vec![],
        codebase: false,
    };
    let (r, _) = ask(&app, &id, None, "what does @src/util.py do?", ctx);
    let sent = last_user_message(&server);
    assert!(sent.contains("return 2 * x"), "the mentioned file: {sent}");
    assert!(sent.contains("import util"), "the current file");
    assert!(sent.contains("Selected code src/main.py:2-2"));
    let cited: Vec<(String, u32, u32)> = r
        .citations
        .iter()
        .map(|c| (c.path.clone(), c.line_start, c.line_end))
        .collect();
    assert_eq!(
        cited,
        [
            ("src/main.py".to_owned(), 2, 2),
            ("src/main.py".to_owned(), 1, 2),
            ("src/util.py".to_owned(), 1, 2),
        ]
    );
    // A path outside the project is refused, not read.
    let bad = ChatContext {
        files: vec!["../secret".into()],
        ..ChatContext::default()
    };
    let input = ChatInput {
        chat_id: None,
        message: "x".into(),
        context: bad,
        use_cache: false,
    };
    assert_eq!(
        app.ai_chat(&id, &input, "req-2", &mut |_| {})
            .unwrap_err()
            .code,
        ErrorCode::OutsideProject
    );
}

#[test]
fn codebase_context_contains_the_expected_chunk() {
    let home = TestHome::new();
    let server = ProviderServer::start();
    let app = app_with(&home, Some(&server));
    let (_p, id) = project(
        &app,
        &[
            (
                "src/billing.rs",
                "/// Applies the loyalty discount.\npub fn loyalty_discount(total: u64) -> u64 {\n    total * 9 / 10\n}\n",
            ),
            (
                "src/other.rs",
                "pub fn unrelated() -> &'static str {\n    \"nothing here\"\n}\n",
            ),
            ("README.md", "A shop.\n"),
        ],
    );
    let _ = app.index_wait(&id, Duration::from_secs(60));
    let _ = app.semantic_wait(&id, Duration::from_secs(60));
    let (r, _) = ask(
        &app,
        &id,
        None,
        "how is the loyalty discount computed?",
        ChatContext {
            codebase: true,
            ..ChatContext::default()
        },
    );
    let sent = last_user_message(&server);
    assert!(
        sent.contains("total * 9 / 10"),
        "the chunk is in the prompt: {sent}"
    );
    let c = r
        .citations
        .iter()
        .find(|c| c.path == "src/billing.rs")
        .expect("cited");
    assert!(c.line_start <= 2 && c.line_end >= 3, "{c:?}");
}

#[test]
fn an_edit_is_previewed_as_hunks_and_accepted_hunks_are_written() {
    let home = TestHome::new();
    let server = ProviderServer::start();
    let app = app_with(&home, Some(&server));
    let original = "def add(a, b):\n    return a+b\n\n\ndef sub(a, b):\n    return a-b\n";
    let rewritten = "def add(a: int, b: int) -> int:\n    return a+b\n\n\ndef sub(a: int, b: int) -> int:\n    return a-b\n";
    let (p, id) = project(&app, &[("calc.py", original)]);
    let input = EditInput {
        path: "calc.py".into(),
        action: EditAction::AddTypes,
        instruction: String::new(),
        start_line: None,
        end_line: None,
    };
    server.push(Reply::text(&format!(
        "Here you go:\n```python\n{rewritten}```\n"
    )));
    let prop = app
        .ai_edit_preview(&id, &input, "edit-1", &mut |_| {})
        .unwrap();
    assert_eq!(prop.proposed, rewritten);
    assert_eq!(prop.hunks.len(), 2, "{:?}", prop.hunks);
    assert_eq!(p.read("calc.py"), original, "a preview writes nothing");
    let sent = last_user_message(&server);
    assert!(
        sent.contains("type annotations") && sent.contains("return a-b"),
        "{sent}"
    );

    // Accept only the second hunk.
    let done = app.ai_edit_apply(&id, &prop.edit_id, &[2]).unwrap();
    assert_eq!(done.applied, [2]);
    let on_disk = p.read("calc.py");
    assert_eq!(
        on_disk,
        "def add(a, b):\n    return a+b\n\n\ndef sub(a: int, b: int) -> int:\n    return a-b\n"
    );
    assert_eq!(
        app.ai_edit_apply(&id, &prop.edit_id, &[1])
            .unwrap_err()
            .code,
        ErrorCode::NotFound,
        "applied once"
    );

    // A selection-only edit, then a conflicting change on disk before applying.
    server.push(Reply::text(
        "```python\ndef add(a, b):\n    \"\"\"Adds.\"\"\"\n    return a+b\n```",
    ));
    let sel = EditInput {
        path: "calc.py".into(),
        action: EditAction::AddDocs,
        instruction: String::new(),
        start_line: Some(1),
        end_line: Some(2),
    };
    let prop = app
        .ai_edit_preview(&id, &sel, "edit-2", &mut |_| {})
        .unwrap();
    assert_eq!(prop.hunks.len(), 1);
    assert!(
        prop.proposed
            .ends_with("def sub(a: int, b: int) -> int:\n    return a-b\n"),
        "the rest is kept"
    );
    std::fs::write(p.file("calc.py"), "def add(a, b):\n    return b+a\n").unwrap();
    let err = app.ai_edit_apply(&id, &prop.edit_id, &[1]).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "{}", err.message);
    assert_eq!(
        p.read("calc.py"),
        "def add(a, b):\n    return b+a\n",
        "nothing written on conflict"
    );
    // The control: with the file back as it was, the same preview applies.
    std::fs::write(p.file("calc.py"), &on_disk).unwrap();
    app.ai_edit_apply(&id, &prop.edit_id, &[1]).unwrap();
    assert!(p.read("calc.py").contains("\"\"\"Adds.\"\"\""));
}

#[test]
fn inline_completion_sends_a_fim_request_and_is_cached() {
    let home = TestHome::new();
    let server = ProviderServer::start();
    server.set_default(Reply::text("a + b"));
    let app = app_with(&home, Some(&server));
    let (_p, id) = project(&app, &[("m.py", "")]);
    let input = CompletionInput {
        path: "m.py".into(),
        language: "python".into(),
        prefix: "def add(a, b):\n    return ".into(),
        suffix: "\n".into(),
    };
    let c = app.ai_complete(&id, &input, "cmp-1").unwrap();
    assert_eq!(c.text, "a + b");
    let r = &server.requests()[0];
    assert_eq!(r.path, "/v1/completions");
    assert_eq!(r.json()["suffix"], "\n");
    assert!(
        r.json()["prompt"]
            .as_str()
            .unwrap()
            .ends_with("    return ")
    );
    assert!(app.ai_complete(&id, &input, "cmp-2").unwrap().cached);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn without_a_provider_ai_says_so_and_the_ide_works_on() {
    let home = TestHome::new();
    let app = app_with(&home, None);
    let (p, id) = project(&app, &[("a.txt", "one\n")]);
    let input = ChatInput {
        chat_id: None,
        message: "hello?".into(),
        context: ChatContext::default(),
        use_cache: true,
    };
    let err = app.ai_chat(&id, &input, "r", &mut |_| {}).unwrap_err();
    assert_eq!(err.code, ErrorCode::ProviderUnavailable);
    assert!(err.message.contains("No AI provider"), "{}", err.message);
    let complete = CompletionInput {
        path: "a.txt".into(),
        language: "plaintext".into(),
        prefix: "o".into(),
        suffix: String::new(),
    };
    assert_eq!(
        app.ai_complete(&id, &complete, "c").unwrap_err().code,
        ErrorCode::ProviderUnavailable
    );
    assert!(app.ai_providers().unwrap().providers.is_empty());
    // Everything else is unaffected.
    let f = app.fs_read(&id, "a.txt", false).unwrap();
    app.fs_write(&id, "a.txt", "two\n", Encoding::Utf8, Some(f.version))
        .unwrap();
    assert_eq!(p.read("a.txt"), "two\n");
    assert_eq!(
        app.index_wait(&id, Duration::from_secs(30)).unwrap().state,
        aura_app::IndexState::Ready
    );
}

#[test]
fn keys_are_stored_but_never_handed_out() {
    let home = TestHome::new();
    let server = ProviderServer::start();
    let app = app_with(&home, Some(&server));
    assert_eq!(
        app.ai_providers().unwrap().providers[0].key,
        KeyState::NotNeeded,
        "local server"
    );
    app.ai_key_set("local", "  sk-scenario-key-42  ").unwrap();
    let view = app.ai_providers().unwrap();
    assert_eq!(view.providers[0].key, KeyState::Set);
    assert!(
        !serde_json::to_string(&view)
            .unwrap()
            .contains("sk-scenario"),
        "only set / not set crosses"
    );
    let (_p, id) = project(&app, &[("a.txt", "x\n")]);
    ask(&app, &id, None, "q", ChatContext::default());
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer sk-scenario-key-42")
    );
    assert_eq!(
        app.ai_key_set("nope", "k").unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        app.ai_key_set("local", "   ").unwrap_err().code,
        ErrorCode::InvalidInput
    );
    app.ai_key_delete("local").unwrap();
    assert_eq!(
        app.ai_providers().unwrap().providers[0].key,
        KeyState::NotNeeded
    );
    let settings = std::fs::read_to_string(home.dirs().settings_file()).unwrap();
    assert!(!settings.contains("sk-scenario"));
}

#[test]
fn usage_view_counts_calls_per_day_and_model() {
    let home = TestHome::new();
    let server = ProviderServer::start();
    let app = app_with(&home, Some(&server));
    let (_p, id) = project(&app, &[("a.txt", "x\n")]);
    ask(&app, &id, None, "one", ChatContext::default());
    ask(&app, &id, None, "two", ChatContext::default());
    let u = app.ai_usage(7, Some(&id)).unwrap();
    assert_eq!(u.total_calls, 2);
    assert_eq!(u.days[0].model, "test-model");
    assert_eq!(u.recent.len(), 2);
    assert!(u.recent.iter().all(|c| c.ok && c.kind == "chat"));
}
