//! Each subcommand: parse what the user typed into app calls, print the result.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use aura_app::{App, ProjectInfo};
use aura_core::{Error, ProjectId, Result};
use aura_fs::{DirEntry, EntryKind, FsEvent, FsEventKind, ListOptions};

use crate::output::emit;
use crate::{Cli, Command, FsCmd, ProjectCmd};

pub fn run(cli: Cli) -> Result<()> {
    let app = App::start_from_env()?;
    let settings = app.settings();
    let _log = aura_app::logging::init(&app.dirs().logs, "aura-cli", &settings.log.level, "warn");
    let json = cli.json;
    match cli.command {
        Command::Project(cmd) => project(&app, json, cli.project.as_deref(), cmd),
        Command::Fs(cmd) => fs(&app, json, &project_id(&app, cli.project.as_deref())?, cmd),
        Command::Watch => watch(&app, json, &project_id(&app, cli.project.as_deref())?),
        Command::Index { path, text_only } => {
            let id = match path {
                Some(p) => find_project(&app, &p.display().to_string(), true)?.id,
                None => project_id(&app, cli.project.as_deref())?,
            };
            crate::search::index(&app, json, &id, text_only)
        }
        Command::Search(args) => {
            let id = project_id(&app, cli.project.as_deref())?;
            if args.semantic || args.hybrid {
                crate::semantic::search(&app, json, &id, args)
            } else {
                crate::search::search(&app, json, &id, args)
            }
        }
        Command::Symbols { query, limit } => crate::semantic::symbols(
            &app,
            json,
            &project_id(&app, cli.project.as_deref())?,
            &query,
            limit,
        ),
        Command::Ask(args) => {
            crate::ai::ask(&app, json, &project_id(&app, cli.project.as_deref())?, args)
        }
        Command::Edit(args) => {
            crate::ai::edit(&app, json, &project_id(&app, cli.project.as_deref())?, args)
        }
        Command::Ai(cmd) => {
            let project = match &cmd {
                crate::AiCmd::Usage { all: false, .. } => {
                    Some(project_id(&app, cli.project.as_deref())?)
                }
                _ => None,
            };
            crate::ai::ai(&app, json, project.as_deref(), cmd)
        }
        Command::Run(args) => crate::run::run(&app, json, cli.project.as_deref(), args),
        Command::Sandbox(cmd) => crate::run::sandbox(&app, json, &cmd),
    }
}

/// A project by id or folder, opening an unregistered folder (for `aura run -p`).
pub(crate) fn find_project_pub(app: &App, s: &str) -> Result<ProjectInfo> {
    find_project(app, s, true)
}

fn project(app: &App, json: bool, selected: Option<&str>, cmd: ProjectCmd) -> Result<()> {
    match cmd {
        ProjectCmd::New {
            name,
            template,
            location,
        } => {
            let p = app.project_create(&name, &template, &location)?;
            emit(json, &p, |p| println!("created {} at {}", p.name, p.path));
        }
        ProjectCmd::Open { path } => {
            let p = app.project_open(&path)?;
            emit(json, &p, |p| println!("{}  {}  {}", p.id, p.name, p.path));
        }
        ProjectCmd::List { limit } => {
            let list = app.project_list_recent(limit)?;
            emit(json, &list, |list| {
                for p in list {
                    let lang = p.language.as_deref().unwrap_or("-");
                    println!("{}  {:<24} {:<12} {}", p.id, p.name, lang, p.path);
                }
            });
        }
        ProjectCmd::Forget { project } => {
            let id = find_project(app, &project, false)?.id;
            app.project_forget(&id)?;
            emit(json, &serde_json::json!({ "forgotten": id }), |_| {
                println!("forgot {id} (files left in place)")
            });
        }
        ProjectCmd::Templates => {
            let list = app.project_templates();
            emit(json, &list, |list| {
                for t in list {
                    println!("{:<12} {}", t.id, t.name);
                }
            });
        }
        ProjectCmd::Import {
            archive,
            location,
            name,
        } => {
            let p = app.project_import(&archive, &location, name.as_deref())?;
            emit(json, &p, |p| println!("imported into {}", p.path));
        }
        ProjectCmd::Export { out } => {
            let id = project_id(app, selected)?;
            let r = app.project_export(&id, &out)?;
            emit(json, &r, |r| {
                println!(
                    "wrote {} ({} files, {} bytes)",
                    out.display(),
                    r.files,
                    r.bytes
                )
            });
        }
    }
    Ok(())
}

fn fs(app: &App, json: bool, id: &str, cmd: FsCmd) -> Result<()> {
    match cmd {
        FsCmd::Ls { path, all } => {
            let opts = all.then_some(ListOptions {
                show_hidden: true,
                show_ignored: true,
            });
            let entries = app.fs_list(id, &path, opts)?;
            emit(json, &entries, |entries| {
                entries.iter().for_each(print_entry)
            });
        }
        FsCmd::Cat { path } => {
            let file = app.fs_read(id, &path, true)?;
            emit(json, &file, |f| {
                let mut out = std::io::stdout().lock();
                // A closed pipe (`aura fs cat x | head`) is not an error worth reporting.
                let _ = out.write_all(f.text.as_bytes());
            });
        }
        FsCmd::Write { path, force } => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::invalid(format!("standard input is not UTF-8 text: {e}")))?;
            let version = if force {
                app.fs_overwrite(id, &path, &text)?
            } else {
                app.fs_write(id, &path, &text, aura_fs::Encoding::Utf8, None)
                    .map_err(|e| {
                        if e.code == aura_core::ErrorCode::AlreadyExists {
                            Error::new(e.code, format!("{}; pass --force to replace it", e.message))
                        } else {
                            e
                        }
                    })?
            };
            emit(
                json,
                &serde_json::json!({ "path": path, "version": version }),
                |_| {},
            );
        }
        FsCmd::Mkdir { path } => app.fs_create_dir(id, &path)?,
        FsCmd::Mv { from, to } => app.fs_rename(id, &from, &to)?,
        FsCmd::Cp { from, to } => app.fs_copy(id, &from, &to)?,
        FsCmd::Rm { path, permanent } => app.fs_delete(id, &path, permanent)?,
    }
    Ok(())
}

fn print_entry(e: &DirEntry) {
    let mark = match e.kind {
        EntryKind::Dir => "/",
        EntryKind::File | EntryKind::Other => "",
    };
    let note = if e.ignored { "  (ignored)" } else { "" };
    println!("{}{mark}{note}", e.name);
}

fn watch(app: &App, json: bool, id: &str) -> Result<()> {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<FsEvent>>();
    let _watcher = app.fs_watch(id, move |batch| {
        let _ = tx.send(batch);
    })?;
    let root = app.project_get(id)?.path;
    eprintln!("watching {root} (Ctrl+C to stop)");
    for batch in rx {
        let mut out = std::io::stdout().lock();
        for ev in batch {
            let line = if json {
                serde_json::to_string(&ev).unwrap_or_default()
            } else {
                match &ev.kind {
                    FsEventKind::Renamed { from } => format!("renamed {from} -> {}", ev.path),
                    FsEventKind::Created => format!("created {}", ev.path),
                    FsEventKind::Modified => format!("modified {}", ev.path),
                    FsEventKind::Removed => format!("removed {}", ev.path),
                    FsEventKind::Rescan => format!("rescan {}", ev.path),
                }
            };
            if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// `--project` as an id or a folder; by default the registered project that contains the
/// current folder, else the current folder opened as a project.
pub(crate) fn project_id(app: &App, selected: Option<&str>) -> Result<String> {
    match selected {
        Some(s) => Ok(find_project(app, s, true)?.id),
        None => {
            let cwd = std::env::current_dir().map_err(|e| Error::from_io(&e, "current folder"))?;
            let cwd = cwd.canonicalize().unwrap_or(cwd);
            let all = app.project_list_recent(usize::MAX)?;
            let containing = all
                .into_iter()
                .filter(|p| cwd.starts_with(Path::new(&p.path)))
                .max_by_key(|p| p.path.len());
            match containing {
                Some(p) => Ok(p.id),
                None => Ok(app.project_open(&cwd)?.id),
            }
        }
    }
}

/// A project by id or folder; an unregistered folder is opened when `open` allows it.
fn find_project(app: &App, s: &str, open: bool) -> Result<ProjectInfo> {
    if ProjectId::parse(s).is_ok() {
        return app.project_get(s);
    }
    let path = PathBuf::from(s);
    let canon = path
        .canonicalize()
        .map_err(|e| Error::from_io(&e, path.display()))?;
    let all = app.project_list_recent(usize::MAX)?;
    match all.into_iter().find(|p| Path::new(&p.path) == canon) {
        Some(p) => Ok(p),
        None if open => app.project_open(&canon),
        None => Err(Error::not_found(format!(
            "no registered project at {}",
            canon.display()
        ))),
    }
}
