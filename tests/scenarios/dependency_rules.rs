//! The rules between crates (DESIGN.md §3), checked on `cargo metadata` so a new
//! dependency that breaks layering fails CI instead of slowly rotting the design.

// Test helpers outside #[test] fns panic on broken fixtures, which is what a test wants.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

fn workspace_deps() -> Graph {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut map = BTreeMap::new();
    for pkg in meta["packages"].as_array().unwrap() {
        let name = pkg["name"].as_str().unwrap().to_owned();
        let (mut normal, mut dev) = (BTreeSet::new(), BTreeSet::new());
        for dep in pkg["dependencies"].as_array().unwrap() {
            let dep_name = dep["name"].as_str().unwrap().to_owned();
            if dep["kind"].as_str() == Some("dev") {
                dev.insert(dep_name);
            } else {
                normal.insert(dep_name);
            }
        }
        map.insert(name, (normal, dev));
    }
    map
}

/// Which of our crates each crate may depend on (normal and build dependencies).
fn allowed() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("aura-core", &[][..]),
        ("aura-fs", &["aura-core"][..]),
        ("aura-store", &["aura-core"][..]),
        ("aura-exec", &["aura-core"][..]),
        ("aura-index", &["aura-core", "aura-fs", "aura-store"][..]),
        ("aura-ai", &["aura-core", "aura-store"][..]),
        (
            "aura-app",
            &[
                "aura-core",
                "aura-fs",
                "aura-store",
                "aura-index",
                "aura-ai",
                "aura-exec",
            ][..],
        ),
        // The shells reach the domain crates' DTO types only through what app re-exports
        // or core; fs types are allowed because app hands them out unchanged.
        ("aura-cli", &["aura-core", "aura-app", "aura-fs"][..]),
        ("aura-desktop", &["aura-core", "aura-app", "aura-fs"][..]),
        ("aura-testkit", &["aura-core"][..]),
        // Packaging: the AppImage runtime starts the app as a program, never links it.
        ("aura-appimage", &[][..]),
        ("aura-tests", &[][..]),
    ])
}

type Graph = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

fn violations(deps: &Graph, rules: &BTreeMap<&str, &[&str]>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, (normal, _)) in deps {
        let Some(allowed) = rules.get(name.as_str()) else {
            out.push(format!("{name} has no rule: add it to dependency_rules.rs"));
            continue;
        };
        for dep in normal.iter().filter(|d| d.starts_with("aura-")) {
            if !allowed.contains(&dep.as_str()) {
                out.push(format!("{name} -> {dep}"));
            }
        }
    }
    out
}

#[test]
fn crates_depend_only_downwards() {
    let v = violations(&workspace_deps(), &allowed());
    assert!(v.is_empty(), "layering violations: {v:?}");
}

#[test]
fn only_the_desktop_crate_knows_tauri_and_testkit_is_dev_only() {
    for (name, (normal, _dev)) in workspace_deps() {
        let tauri: Vec<_> = normal.iter().filter(|d| d.starts_with("tauri")).collect();
        if name != "aura-desktop" {
            assert!(tauri.is_empty(), "{name} depends on {tauri:?}");
        }
        assert!(
            !normal.contains("aura-testkit"),
            "{name} has aura-testkit as a normal dependency"
        );
    }
}

#[test]
fn the_check_catches_an_upward_edge() {
    // Control: the real graph plus one bad edge (fs -> app) must be reported.
    let mut deps = workspace_deps();
    deps.get_mut("aura-fs").unwrap().0.insert("aura-app".into());
    assert_eq!(violations(&deps, &allowed()), ["aura-fs -> aura-app"]);
}
