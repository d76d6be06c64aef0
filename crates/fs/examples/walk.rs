//! Benchmark helper: walks a tree with aura-fs and prints the number of files.
//! `walk [--all] TREE` (`--all`: hidden and ignored files too, like `find`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use aura_fs::{ProjectRoot, WalkOptions};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.iter().any(|a| a == "--all");
    let Some(tree) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: walk [--all] TREE");
        return std::process::ExitCode::from(2);
    };
    let opts = WalkOptions {
        show_hidden: all,
        include_ignored: all,
        max_files: None,
    };
    match ProjectRoot::open(std::path::Path::new(tree)).and_then(|r| r.walk_files(&opts)) {
        Ok(files) => {
            println!("{}", files.len());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("walk: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
