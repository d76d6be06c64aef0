//! `aura ask`, `aura edit` and `aura ai providers|health|usage|key`.

use std::io::{Read as _, Write as _};

use aura_app::{App, ChatContext, ChatEvent, ChatInput, EditAction, EditInput, KeyState};
use aura_core::{Error, Result};

use crate::output::emit;
use crate::{AiCmd, AskArgs, EditArgs, KeyCmd};

fn request_id() -> String {
    format!("cli-{}", std::process::id())
}

/// Streams the answer to stdout as it arrives; fallbacks and citations go to stderr.
pub fn ask(app: &App, json: bool, project: &str, args: AskArgs) -> Result<()> {
    let input = ChatInput {
        chat_id: args.chat,
        message: args.question,
        context: ChatContext {
            current_file: None,
            selection: None,
            files: args.file,
            codebase: args.codebase,
        },
        use_cache: !args.no_cache,
    };
    let result = app.ai_chat(project, &input, &request_id(), &mut |ev| match ev {
        ChatEvent::Delta { text } if !json => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
        ChatEvent::Started {
            citations, note, ..
        } if !json => {
            for c in citations {
                eprintln!("context: {}:{}-{}", c.path, c.line_start, c.line_end);
            }
            if let Some(n) = note {
                eprintln!("note: {n}");
            }
        }
        ChatEvent::Fallback {
            provider, reason, ..
        } if !json => {
            eprintln!("\n[{provider} failed: {reason}; trying the next provider]");
        }
        ChatEvent::Retry {
            provider,
            wait_ms,
            reason,
        } if !json => {
            eprintln!("\n[{provider}: {reason}; retrying in {} ms]", wait_ms);
        }
        _ => {}
    })?;
    emit(json, &result, |r| {
        println!();
        eprintln!(
            "-- {} / {}{}, {} tokens in, {} out, {} ms",
            r.answer.provider,
            r.answer.model,
            if r.answer.cached { " (cached)" } else { "" },
            r.answer.usage.tokens_in,
            r.answer.usage.tokens_out,
            r.answer.latency_ms
        );
    });
    Ok(())
}

fn parse_action(s: &str) -> Result<EditAction> {
    Ok(match s {
        "refine" => EditAction::Refine,
        "refactor" => EditAction::Refactor,
        "explain" => EditAction::Explain,
        "docs" | "add-docs" => EditAction::AddDocs,
        "types" | "add-types" => EditAction::AddTypes,
        "audit" | "security-audit" => EditAction::SecurityAudit,
        "optimize" => EditAction::Optimize,
        "fix" | "fix-error" => EditAction::FixError,
        other => {
            return Err(Error::invalid(format!(
                "unknown action {other:?} (refine, refactor, explain, docs, types, audit, optimize, fix)"
            )));
        }
    })
}

/// Shows the edit as a diff; `--apply` writes every hunk.
pub fn edit(app: &App, json: bool, project: &str, args: EditArgs) -> Result<()> {
    let (start_line, end_line) = match args.lines.as_deref() {
        None => (None, None),
        Some(r) => {
            let (a, b) = r.split_once('-').unwrap_or((r, r));
            let parse = |v: &str| {
                v.trim()
                    .parse::<u32>()
                    .map_err(|_| Error::invalid(format!("--lines {r:?}: expected A-B")))
            };
            (Some(parse(a)?), Some(parse(b)?))
        }
    };
    let input = EditInput {
        path: args.file,
        action: parse_action(&args.action)?,
        instruction: args.instruction.unwrap_or_default(),
        start_line,
        end_line,
    };
    let proposal = app.ai_edit_preview(project, &input, &request_id(), &mut |_| {})?;
    let applied = if args.apply && !proposal.hunks.is_empty() {
        let ids: Vec<u32> = proposal.hunks.iter().map(|h| h.id).collect();
        Some(app.ai_edit_apply(project, &proposal.edit_id, &ids)?)
    } else {
        None
    };
    let value = serde_json::json!({ "proposal": proposal, "applied": applied });
    emit(json, &value, |_| {
        if proposal.hunks.is_empty() {
            println!("{}", proposal.explanation);
            if input.action != EditAction::Explain && input.action != EditAction::SecurityAudit {
                eprintln!("(no changes proposed)");
            }
            return;
        }
        println!("--- a/{}\n+++ b/{}", proposal.path, proposal.path);
        for h in &proposal.hunks {
            println!(
                "@@ -{},{} +{},{} @@",
                h.old_start, h.old_lines, h.new_start, h.new_lines
            );
            for l in h.old_text.lines() {
                println!("-{l}");
            }
            for l in h.new_text.lines() {
                println!("+{l}");
            }
        }
        match &applied {
            Some(a) => eprintln!("applied {} hunk(s) to {}", a.applied.len(), a.path),
            None => eprintln!("(preview only: add --apply to write it)"),
        }
    });
    Ok(())
}

pub fn ai(app: &App, json: bool, project: Option<&str>, cmd: AiCmd) -> Result<()> {
    match cmd {
        AiCmd::Providers => {
            let v = app.ai_providers()?;
            emit(json, &v, |v| {
                if v.providers.is_empty() {
                    println!(
                        "no AI provider configured or detected (Settings > AI; or start Ollama/llama.cpp locally)"
                    );
                }
                for p in &v.providers {
                    let key = match p.key {
                        KeyState::Set => "key set",
                        KeyState::NotSet => "no key",
                        KeyState::NotNeeded => "no key needed",
                        KeyState::Unavailable => "keyring unavailable",
                    };
                    let detected = if p.detected { " (detected)" } else { "" };
                    println!(
                        "{:<12} {:?}  {:<40} {:<24} {key}{detected}",
                        p.id, p.kind, p.base_url, p.model
                    );
                }
                eprintln!(
                    "keys are kept in: {}{}",
                    v.key_store,
                    if v.use_env_keys {
                        " (environment variables as fallback)"
                    } else {
                        ""
                    }
                );
            });
        }
        AiCmd::Health => {
            let v = app.ai_health()?;
            emit(json, &v, |v| {
                if v.is_empty() {
                    println!("no AI provider configured or detected");
                }
                for h in v {
                    let state = if h.ok {
                        "ok".to_owned()
                    } else {
                        h.error.clone().unwrap_or_else(|| "failed".into())
                    };
                    println!("{:<12} {:>6} ms  {state}", h.provider.id, h.latency_ms);
                }
            });
        }
        AiCmd::Usage { days, all } => {
            let project = if all { None } else { project };
            let v = app.ai_usage(days, project)?;
            emit(json, &v, |v| {
                println!(
                    "{:<10}  {:<12} {:<28} {:>5} {:>4} {:>9} {:>9} {:>10}",
                    "day", "provider", "model", "calls", "err", "in", "out", "cost $"
                );
                for d in &v.days {
                    println!(
                        "{:<10}  {:<12} {:<28} {:>5} {:>4} {:>9} {:>9} {:>10.4}",
                        d.day,
                        d.provider,
                        d.model,
                        d.calls,
                        d.errors,
                        d.tokens_in,
                        d.tokens_out,
                        d.cost_usd
                    );
                }
                println!("total: {} calls, ${:.4}", v.total_calls, v.total_cost_usd);
            });
        }
        AiCmd::Key(KeyCmd::Set { provider }) => {
            // From stdin, never the command line: arguments end up in shell history.
            let mut key = String::new();
            std::io::stdin()
                .read_to_string(&mut key)
                .map_err(|e| Error::from_io(&e, "standard input"))?;
            app.ai_key_set(&provider, &key)?;
            emit(
                json,
                &serde_json::json!({"provider": provider, "key": "set"}),
                |_| println!("key for {provider} stored"),
            );
        }
        AiCmd::Key(KeyCmd::Delete { provider }) => {
            app.ai_key_delete(&provider)?;
            emit(
                json,
                &serde_json::json!({"provider": provider, "key": "deleted"}),
                |_| println!("key for {provider} removed"),
            );
        }
    }
    Ok(())
}
