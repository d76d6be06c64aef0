//! The real-model tier: a small local model (SmolLM2-135M-Instruct) behind llama.cpp's
//! OpenAI-compatible server, started and stopped by this test, used through the ordinary
//! `openai` provider for a chat, an edit preview and `aura ask`. Checks the protocol, the
//! streaming and the shape of the results, never the quality of the text (a 135M model).
//! `scripts/setup --test` installs the server and the model (scripts/fetch-llm); without
//! them the test skips loudly, and fails under CI.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aura_app::{App, ChatContext, ChatEvent, ChatInput, EditAction, EditInput};
use aura_testkit::{TempProject, TestHome};

fn tools() -> Option<(PathBuf, PathBuf)> {
    let base =
        PathBuf::from(std::env::var("AURA_TOOLS").unwrap_or_else(|_| "/var/tmp/aura-tools".into()));
    let python = base.join("llama-cpp-python-0.3.36-avx2/bin/python");
    let model = base.join("smollm2-0.1.2/model.gguf");
    (python.exists() && model.exists()).then_some((python, model))
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(python: &PathBuf, model: &PathBuf, home: &TestHome) -> (Server, u16) {
    let port = free_port();
    let child = Command::new(python)
        .args(["-m", "llama_cpp.server", "--model"])
        .arg(model)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--n_ctx",
            "4096",
            "--n_threads",
            "2",
        ])
        .envs(home.env())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let up = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
        if up {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "llama.cpp server did not come up on {port}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    (server, port)
}

#[test]
fn chat_edit_and_ask_against_a_real_local_model() {
    let Some((python, model)) = tools() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the real-model tools are missing under CI: scripts/setup --test installs them"
        );
        eprintln!(
            "!!! SKIP real-model test: run scripts/fetch-llm (or scripts/setup --test) first !!!"
        );
        return;
    };
    let home = TestHome::new();
    let (_server, port) = start(&python, &model, &home);
    let dirs = home.dirs();
    std::fs::create_dir_all(&dirs.config).unwrap();
    std::fs::write(
        dirs.settings_file(),
        format!(
            "[ai]\ndetect_local = false\nmax_retries = 1\nmax_output_tokens = 48\nrequest_timeout_ms = 120000\n\n[[ai.providers]]\nid = \"smol\"\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:{port}/v1\"\nmodel = \"smollm2\"\ncontext_window = 4096\n"
        ),
    )
    .unwrap();
    let p = TempProject::with_files(&[("hello.py", "def greet(name):\n    return 'hi ' + name\n")]);

    {
        let app = App::start(home.dirs()).unwrap();
        let id = app.project_open(p.path()).unwrap().id;
        // Chat: the answer streams in pieces and comes back with usage from the server.
        let mut deltas = 0;
        let input = ChatInput {
            chat_id: None,
            message: "What does greet do? One sentence.".into(),
            context: ChatContext {
                current_file: Some("hello.py".into()),
                ..ChatContext::default()
            },
            use_cache: false,
        };
        let r = app
            .ai_chat(&id, &input, "real-chat", &mut |e| {
                if matches!(e, ChatEvent::Delta { .. }) {
                    deltas += 1;
                }
            })
            .unwrap();
        assert!(deltas >= 2, "streamed in {deltas} pieces");
        assert!(!r.answer.text.trim().is_empty());
        assert_eq!(
            (r.answer.provider.as_str(), r.answer.model.as_str()),
            ("smol", "smollm2")
        );
        assert!(
            r.answer.usage.tokens_in > 10 && r.answer.usage.tokens_out > 0,
            "{:?}",
            r.answer.usage
        );
        assert!(r.answer.first_token_ms.is_some());
        assert_eq!(app.ai_chat_messages(&id, &r.chat_id).unwrap().len(), 2);

        // An edit: whatever the model writes comes back as a proposal with hunks (or none),
        // and nothing is written.
        let edit = EditInput {
            path: "hello.py".into(),
            action: EditAction::AddDocs,
            instruction: String::new(),
            start_line: None,
            end_line: None,
        };
        let prop = app
            .ai_edit_preview(&id, &edit, "real-edit", &mut |_| {})
            .unwrap();
        assert_eq!(prop.original, "def greet(name):\n    return 'hi ' + name\n");
        assert!(prop.answer.is_some());
        if !prop.hunks.is_empty() {
            assert!(!prop.edit_id.is_empty());
        }
        assert_eq!(
            p.read("hello.py"),
            prop.original,
            "a preview writes nothing"
        );
    }

    // The CLI, through the same provider.
    let o = Command::new(env!("CARGO_BIN_EXE_aura"))
        .envs(home.env())
        .args([
            "-p",
            p.path().to_str().unwrap(),
            "--json",
            "ask",
            "Say hello.",
            "--no-cache",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["answer"]["provider"], "smol");
    assert!(!v["answer"]["text"].as_str().unwrap().is_empty());
    assert!(v["chatId"].as_str().is_some_and(|s| !s.is_empty()));
}
