//! Prompt assembly within the token budget, citations, and the FIM prompt.

#![allow(clippy::unwrap_used)]

use aura_ai::{Budget, ContextItem, ContextKind, Message, Role, estimate_tokens, fim};

fn item(kind: ContextKind, path: &str, lines: u32, score: Option<f32>) -> ContextItem {
    let content: String = (1..=lines)
        .map(|i| format!("line {i} of {path}\n"))
        .collect();
    ContextItem {
        kind,
        path: path.into(),
        line_start: 1,
        line_end: lines,
        content,
        score,
    }
}

fn total(messages: &[Message]) -> usize {
    messages.iter().map(|m| estimate_tokens(&m.content)).sum()
}

#[test]
fn the_budget_holds_and_the_best_context_goes_first() {
    let items = vec![
        item(ContextKind::Codebase, "low.rs", 40, Some(0.1)),
        item(ContextKind::Codebase, "high.rs", 40, Some(0.9)),
        item(ContextKind::CurrentFile, "cur.rs", 400, None),
        item(ContextKind::Selection, "cur.rs", 5, None),
    ];
    let history: Vec<Message> = (0..20)
        .map(|i| {
            Message::new(
                if i % 2 == 0 {
                    Role::User
                } else {
                    Role::Assistant
                },
                "x".repeat(300),
            )
        })
        .collect();
    for window in [600usize, 1500, 4000, 32_000] {
        let budget = Budget {
            context_window: window,
            max_output: 256,
        };
        let a = aura_ai::context::assemble(
            "system",
            &history,
            "what does it do?",
            items.clone(),
            budget,
        )
        .unwrap();
        assert!(
            total(&a.messages) <= budget.prompt_tokens(),
            "window {window}: {} > {}",
            total(&a.messages),
            budget.prompt_tokens()
        );
        assert_eq!(a.messages.first().unwrap().role, Role::System);
        let last = &a.messages.last().unwrap().content;
        assert!(
            last.ends_with("what does it do?"),
            "the question is always last"
        );
        // The selection comes before anything else that made it.
        if let Some(first) = a.citations.first() {
            assert_eq!(first.kind, ContextKind::Selection, "window {window}");
        }
        let paths: Vec<&str> = a.citations.iter().map(|c| c.path.as_str()).collect();
        if let (Some(h), Some(l)) = (
            paths.iter().position(|p| *p == "high.rs"),
            paths.iter().position(|p| *p == "low.rs"),
        ) {
            assert!(h < l, "higher score first");
        }
    }
    // A big window takes everything, whole.
    let big = Budget {
        context_window: 200_000,
        max_output: 1000,
    };
    let a = aura_ai::context::assemble("s", &history, "q", items.clone(), big).unwrap();
    assert_eq!(a.citations.len(), 4);
    assert!(a.citations.iter().all(|c| !c.truncated));
    assert_eq!((a.dropped_items, a.dropped_turns), (0, 0));
    assert!(
        a.messages
            .last()
            .unwrap()
            .content
            .contains("line 40 of high.rs")
    );
    // A small one cuts the current file to whole lines and says so.
    let small = Budget {
        context_window: 1200,
        max_output: 256,
    };
    let a = aura_ai::context::assemble("s", &[], "q", items, small).unwrap();
    let cur = a
        .citations
        .iter()
        .find(|c| c.kind == ContextKind::CurrentFile)
        .unwrap();
    assert!(cur.truncated && cur.line_end < 400, "{cur:?}");
}

#[test]
fn a_question_longer_than_the_window_is_refused() {
    let budget = Budget {
        context_window: 300,
        max_output: 100,
    };
    let e = aura_ai::context::assemble("s", &[], &"word ".repeat(500), vec![], budget).unwrap_err();
    assert!(e.to_string().contains("too long"), "{e}");
}

#[test]
fn fim_keeps_the_code_nearest_the_cursor_and_adds_snippets_as_comments() {
    let prefix: String = (1..=500).map(|i| format!("let a{i} = {i};\n")).collect();
    let suffix: String = (501..=1000).map(|i| format!("let b{i} = {i};\n")).collect();
    let snippet = ContextItem {
        kind: ContextKind::Codebase,
        path: "util.rs".into(),
        line_start: 3,
        line_end: 4,
        content: "fn helper() -> u32 {\n    7\n}".into(),
        score: Some(1.0),
    };
    let same_file = ContextItem {
        path: "main.rs".into(),
        ..snippet.clone()
    };
    let p = fim::build(
        &prefix,
        &suffix,
        "main.rs",
        "rust",
        &[snippet, same_file],
        800,
    );
    assert!(estimate_tokens(&p.prefix) + estimate_tokens(&p.suffix) <= 800);
    assert!(
        p.prefix.ends_with("let a500 = 500;\n"),
        "the prefix keeps its end"
    );
    assert!(
        p.suffix.starts_with("let b501 = 501;\n"),
        "the suffix keeps its start"
    );
    assert!(
        p.prefix
            .starts_with("// Related code from util.rs:\n// fn helper() -> u32 {\n")
    );
    assert_eq!(
        p.snippets,
        ["util.rs"],
        "a snippet of the file itself is left out"
    );
    let py = fim::build(
        "x = 1\n",
        "",
        "a.py",
        "python",
        &[ContextItem {
            path: "b.py".into(),
            ..p_item()
        }],
        800,
    );
    assert!(py.prefix.starts_with("# Related code from b.py:"));
}

fn p_item() -> ContextItem {
    ContextItem {
        kind: ContextKind::Codebase,
        path: String::new(),
        line_start: 1,
        line_end: 1,
        content: "def f(): pass".into(),
        score: None,
    }
}

#[test]
fn completions_are_cleaned_for_ghost_text() {
    assert_eq!(
        fim::clean_completion("```python\nreturn a\n```", ""),
        "return a\n"
    );
    assert_eq!(fim::clean_completion("a + b\n}", "}\n"), "a + b\n");
    assert_eq!(fim::clean_completion("a + b", "}\n"), "a + b");
}
