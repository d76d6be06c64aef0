//! Project templates: each a minimal hello world that runs as it is.

use crate::TemplateInfo;

pub struct Template {
    pub id: &'static str,
    pub name: &'static str,
    pub language: Option<&'static str>,
    /// (relative path, contents)
    pub files: &'static [(&'static str, &'static str)],
    /// How to run it from the project folder (shown in the README and used by tests).
    pub run: Option<&'static [&'static str]>,
}

const GITIGNORE_NODE: &str = "node_modules/\ndist/\n";

pub const TEMPLATES: &[Template] = &[
    Template {
        id: "empty",
        name: "Empty",
        language: None,
        files: &[],
        run: None,
    },
    Template {
        id: "python",
        name: "Python",
        language: Some("python"),
        files: &[
            (
                "main.py",
                "def main() -> None:\n    print(\"Hello, world!\")\n\n\nif __name__ == \"__main__\":\n    main()\n",
            ),
            (".gitignore", "__pycache__/\n.venv/\n"),
            ("README.md", "# Hello (Python)\n\nRun: `python3 main.py`\n"),
        ],
        run: Some(&["python3", "main.py"]),
    },
    Template {
        id: "javascript",
        name: "JavaScript (Node.js)",
        language: Some("javascript"),
        files: &[
            (
                "index.js",
                "function main() {\n  console.log(\"Hello, world!\");\n}\n\nmain();\n",
            ),
            (
                "package.json",
                "{\n  \"name\": \"hello\",\n  \"version\": \"0.1.0\",\n  \"private\": true,\n  \"scripts\": { \"start\": \"node index.js\" }\n}\n",
            ),
            (".gitignore", GITIGNORE_NODE),
            (
                "README.md",
                "# Hello (JavaScript)\n\nRun: `node index.js` or `npm start`\n",
            ),
        ],
        run: Some(&["node", "index.js"]),
    },
    Template {
        id: "typescript",
        name: "TypeScript (Node.js)",
        language: Some("typescript"),
        files: &[
            (
                "src/index.ts",
                "function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n\nconsole.log(greet(\"world\"));\n",
            ),
            (
                "package.json",
                "{\n  \"name\": \"hello\",\n  \"version\": \"0.1.0\",\n  \"private\": true,\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"start\": \"tsc && node dist/index.js\"\n  },\n  \"devDependencies\": { \"typescript\": \"^5.9.0\" }\n}\n",
            ),
            (
                "tsconfig.json",
                "{\n  \"compilerOptions\": {\n    \"target\": \"ES2022\",\n    \"module\": \"commonjs\",\n    \"strict\": true,\n    \"rootDir\": \"src\",\n    \"outDir\": \"dist\"\n  }\n}\n",
            ),
            (".gitignore", GITIGNORE_NODE),
            (
                "README.md",
                "# Hello (TypeScript)\n\nRun: `npm install && npm start`\n",
            ),
        ],
        run: None,
    },
    Template {
        id: "rust",
        name: "Rust",
        language: Some("rust"),
        files: &[
            (
                "Cargo.toml",
                "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n",
            ),
            (
                "src/main.rs",
                "fn main() {\n    println!(\"Hello, world!\");\n}\n",
            ),
            (".gitignore", "/target\n"),
            ("README.md", "# Hello (Rust)\n\nRun: `cargo run`\n"),
        ],
        run: Some(&["cargo", "run", "--quiet"]),
    },
    Template {
        id: "html",
        name: "HTML/CSS",
        language: Some("html"),
        files: &[
            (
                "index.html",
                "<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Hello</title>\n  <link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n  <h1 id=\"greeting\">Hello, world!</h1>\n  <script src=\"script.js\"></script>\n</body>\n</html>\n",
            ),
            (
                "style.css",
                "body {\n  font-family: system-ui, sans-serif;\n  margin: 2rem;\n}\n",
            ),
            (
                "script.js",
                "document.getElementById(\"greeting\").textContent += \" (from script.js)\";\n",
            ),
            (
                "README.md",
                "# Hello (HTML/CSS)\n\nOpen `index.html` in a browser.\n",
            ),
        ],
        run: None,
    },
];

pub fn find(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

pub fn list() -> Vec<TemplateInfo> {
    TEMPLATES
        .iter()
        .map(|t| TemplateInfo {
            id: t.id.to_owned(),
            name: t.name.to_owned(),
            language: t.language.map(str::to_owned),
        })
        .collect()
}
