//! Language ids (Monaco's names) from file names, and a project's main language from its
//! files.

use std::collections::HashMap;

/// The language id of a file, by name then extension; `"plaintext"` when unknown.
pub fn language_of(file_name: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    match lower.as_str() {
        "dockerfile" => return "dockerfile",
        "makefile" | "gnumakefile" => return "makefile",
        "cargo.lock" => return "toml",
        _ => {}
    }
    let Some((_, ext)) = lower.rsplit_once('.') else {
        return "plaintext";
    };
    match ext {
        "rs" => "rust",
        "py" | "pyw" | "pyi" => "python",
        "js" | "mjs" | "cjs" | "jsx" => "javascript",
        "ts" | "mts" | "cts" | "tsx" => "typescript",
        "html" | "htm" => "html",
        "css" => "css",
        "scss" => "scss",
        "less" => "less",
        "json" | "jsonc" => "json",
        "md" | "markdown" => "markdown",
        "go" => "go",
        "java" => "java",
        "kt" | "kts" => "kotlin",
        "c" | "h" => "c",
        "cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx" => "cpp",
        "cs" => "csharp",
        "rb" => "ruby",
        "php" => "php",
        "sh" | "bash" | "zsh" => "shell",
        "ps1" => "powershell",
        "yml" | "yaml" => "yaml",
        "toml" => "toml",
        "ini" | "cfg" => "ini",
        "sql" => "sql",
        "xml" | "svg" => "xml",
        "swift" => "swift",
        "lua" => "lua",
        "r" => "r",
        "dart" => "dart",
        "scala" => "scala",
        "vue" => "html",
        _ => "plaintext",
    }
}

/// Languages that name a project (markup and config files do not, unless nothing else is
/// there): HTML/CSS counts only when no programming language is present.
const PROGRAMMING: &[&str] = &[
    "rust",
    "python",
    "javascript",
    "typescript",
    "go",
    "java",
    "kotlin",
    "c",
    "cpp",
    "csharp",
    "ruby",
    "php",
    "swift",
    "lua",
    "dart",
    "scala",
    "shell",
];

/// Picks the dominant language from a list of file names (by count, programming languages
/// first, then `html`). Returns `None` when nothing recognisable is there.
pub fn detect_project_language<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    for name in names {
        if name == "Cargo.toml" {
            *counts.entry("rust").or_default() += 5;
        } else if name == "tsconfig.json" {
            *counts.entry("typescript").or_default() += 5;
        }
        let lang = language_of(name);
        let lang = if lang == "css" { "html" } else { lang };
        *counts.entry(lang).or_default() += 1;
    }
    let best = |pred: &dyn Fn(&str) -> bool| {
        counts
            .iter()
            .filter(|(l, _)| pred(l))
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(l, _)| (*l).to_owned())
    };
    best(&|l| PROGRAMMING.contains(&l)).or_else(|| best(&|l| l == "html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_and_names() {
        assert_eq!(language_of("main.rs"), "rust");
        assert_eq!(language_of("App.TSX"), "typescript");
        assert_eq!(language_of("Dockerfile"), "dockerfile");
        assert_eq!(language_of("README"), "plaintext");
    }

    #[test]
    fn project_language_prefers_code_over_markup() {
        let files = ["index.html", "style.css", "a.html", "app.js"];
        assert_eq!(
            detect_project_language(files).as_deref(),
            Some("javascript")
        );
        assert_eq!(
            detect_project_language(["index.html", "s.css"]).as_deref(),
            Some("html")
        );
        assert_eq!(
            detect_project_language(["Cargo.toml", "a.py", "b.py"]).as_deref(),
            Some("rust")
        );
        assert_eq!(detect_project_language(["notes.txt"]), None);
    }
}
