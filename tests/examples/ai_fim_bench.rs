//! Inline-completion request assembly on a 10k-file project (run by `scripts/bench/ai`):
//! the FIM prompt with its retrieved snippets, as `ai_complete` builds it before sending.
//! The project is generated (Rust and Python files with cross-references), indexed, then
//! the prompt is built at cursors in different files.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use aura_app::{App, CompletionInput};
use aura_testkit::{TempProject, TestHome};

const FILES: usize = 10_000;
const N: usize = 100;

fn main() {
    let home = TestHome::new();
    // Semantic search without its model: chunks and words, no embedding (which would
    // take hours on 10k files and is not what a keystroke waits for).
    let dirs = home.dirs();
    std::fs::create_dir_all(&dirs.config).unwrap();
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(
        dirs.settings_file(),
        format!("[search]\nmodel_dir = \"{}\"\n", empty.path().display()),
    )
    .unwrap();
    let p = TempProject::new();
    for i in 0..FILES {
        let (path, body) = if i % 2 == 0 {
            (
                format!("src/m{}/f{i}.rs", i / 100),
                format!(
                    "/// Totals for batch {i}.\npub fn total_{i}(items: &[u64]) -> u64 {{\n    items.iter().sum::<u64>() + {i}\n}}\n\npub fn scale_{i}(x: u64) -> u64 {{\n    total_{}(&[x, x]) * 2\n}}\n",
                    i.saturating_sub(2)
                ),
            )
        } else {
            (
                format!("py/p{}/g{i}.py", i / 100),
                format!(
                    "def compute_{i}(values):\n    \"\"\"Sum for batch {i}.\"\"\"\n    return sum(values) + {i}\n\n\nclass Holder{i}:\n    def get(self):\n        return compute_{i}([1, 2])\n"
                ),
            )
        };
        p.write(&path, &body);
    }
    let app = App::start(dirs).unwrap();
    let id = app.project_open(p.path()).unwrap().id;
    let t = Instant::now();
    app.index_wait(&id, Duration::from_secs(1200)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(1200);
    loop {
        let s = app.semantic_status(&id).unwrap();
        if (s.files_total > 0 && s.files_done >= s.files_total) || Instant::now() > deadline {
            println!(
                "indexed {FILES} files ({} chunks) in {:.1} s",
                s.chunks,
                t.elapsed().as_secs_f64()
            );
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let mut times = Vec::new();
    let mut snippets = 0;
    for k in 0..N {
        let i = (k * 97) % FILES / 2 * 2;
        let input = CompletionInput {
            path: format!("src/m{}/f{i}.rs", i / 100),
            language: "rust".into(),
            prefix: format!(
                "pub fn use_{i}(items: &[u64]) -> u64 {{\n    let t = total_{i}(items);\n    scale_"
            ),
            suffix: "\n}\n".into(),
        };
        let t = Instant::now();
        let prompt = app.ai_completion_prompt(&id, &input).unwrap();
        times.push(t.elapsed());
        snippets += prompt.snippets.len();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "inline-completion request assembly with retrieval, {N} cursors: p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms  ({:.1} snippets per prompt)",
        ms(times[N / 2]),
        ms(times[N * 95 / 100]),
        ms(times[N - 1]),
        snippets as f64 / N as f64
    );
}
