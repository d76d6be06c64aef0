//! Definitions found with tree-sitter: which node kinds are functions, classes, methods ...
//! in each grammar, what their names are, and which of them contain others.

use tree_sitter::{Language, Node, Parser};

use super::ChunkKind;

/// The languages with a grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    Rust,
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
    Java,
    C,
    Cpp,
}

impl Grammar {
    pub fn for_path(path: &str) -> Option<Self> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "rs" => Self::Rust,
            "py" | "pyi" | "pyw" => Self::Python,
            "js" | "mjs" | "cjs" | "jsx" => Self::JavaScript,
            "ts" | "mts" | "cts" => Self::TypeScript,
            "tsx" => Self::Tsx,
            "go" => Self::Go,
            "java" => Self::Java,
            "c" => Self::C,
            // A `.h` file is as often C++ as C, and the C++ grammar reads C headers too.
            "h" | "cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx" => Self::Cpp,
            _ => return None,
        })
    }

    fn language(self) -> Language {
        match self {
            Self::Rust => tree_sitter_rust::LANGUAGE.into(),
            Self::Python => tree_sitter_python::LANGUAGE.into(),
            Self::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Self::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Self::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Self::Go => tree_sitter_go::LANGUAGE.into(),
            Self::Java => tree_sitter_java::LANGUAGE.into(),
            Self::C => tree_sitter_c::LANGUAGE.into(),
            Self::Cpp => tree_sitter_cpp::LANGUAGE.into(),
        }
    }
}

/// A definition's lines (1-based, inclusive) with its name and parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Def {
    pub kind: ChunkKind,
    pub name: Option<String>,
    pub parent: Option<String>,
    pub line_start: u32,
    pub line_end: u32,
}

/// What a node is, when it is a definition.
struct Found<'t> {
    kind: ChunkKind,
    name: Option<String>,
    /// The node whose children are members (a class body), for containers.
    body: Option<Node<'t>>,
    /// Where the definition starts, wrappers such as `export` or decorators included.
    outer: Node<'t>,
    /// Members get this as their parent (an impl's type, a class's name).
    member_parent: Option<String>,
}

/// The definitions of a file in line order, not overlapping: a container gives its header
/// lines (up to its first member) and then its members. `None` if the text cannot be parsed.
pub fn definitions(grammar: Grammar, text: &str) -> Option<Vec<Def>> {
    let mut parser = Parser::new();
    parser.set_language(&grammar.language()).ok()?;
    let tree = parser.parse(text, None)?;
    let mut out = Vec::new();
    collect(grammar, tree.root_node(), text.as_bytes(), None, &mut out);
    out.sort_by_key(|d| (d.line_start, d.line_end));
    // Overlaps can only come from odd trees (a def inside a def's leading comment range);
    // keep the first so chunks never cover a line twice.
    let mut last_end = 0;
    out.retain(|d| {
        let keep = d.line_start > last_end;
        if keep {
            last_end = d.line_end;
        }
        keep
    });
    Some(out)
}

/// The enclosing definition of the nodes being visited: its name and kind.
type Parent<'a> = Option<(&'a str, ChunkKind)>;

fn collect(g: Grammar, node: Node<'_>, src: &[u8], parent: Parent<'_>, out: &mut Vec<Def>) {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    for child in children {
        if let Some(found) = classify(g, child, src, parent) {
            let start = leading_start(found.outer);
            let end = end_line(found.outer);
            // A leaf's member_parent names what it belongs to without being nested in it
            // (a Go receiver, a C++ `Class::method` defined outside the class).
            let own_parent = match found.body {
                None => found
                    .member_parent
                    .clone()
                    .or(parent.map(|p| p.0.to_owned())),
                Some(_) => parent.map(|p| p.0.to_owned()),
            };
            let mut members = Vec::new();
            if let Some(body) = found.body {
                let p = found.member_parent.as_deref().or(found.name.as_deref());
                collect(g, body, src, p.map(|p| (p, found.kind)), &mut members);
                members.sort_by_key(|d| (d.line_start, d.line_end));
            }
            // The container's own lines (its header, fields, anything between members)
            // are chunks of the container; members follow as chunks of their own.
            let mut next = start;
            for m in &members {
                if m.line_start > next {
                    out.push(Def {
                        kind: found.kind,
                        name: found.name.clone(),
                        parent: own_parent.clone(),
                        line_start: next,
                        line_end: m.line_start - 1,
                    });
                }
                next = next.max(m.line_end + 1);
            }
            if next <= end {
                out.push(Def {
                    kind: found.kind,
                    name: found.name.clone(),
                    parent: own_parent,
                    line_start: next,
                    line_end: end,
                });
            }
            out.extend(members);
        } else if is_transparent(child.kind()) {
            collect(g, child, src, parent, out);
        }
    }
}

/// Nodes that only group definitions (conditional compilation, `extern "C" { }`).
fn is_transparent(kind: &str) -> bool {
    matches!(
        kind,
        "preproc_if"
            | "preproc_ifdef"
            | "preproc_else"
            | "preproc_elif"
            | "linkage_specification"
            | "declaration_list"
            // TypeScript's `namespace X { }` is an expression statement.
            | "expression_statement"
    )
}

fn start_line(n: Node<'_>) -> u32 {
    u32::try_from(n.start_position().row).unwrap_or(u32::MAX - 1) + 1
}

fn end_line(n: Node<'_>) -> u32 {
    let end = n.end_position();
    let row = if end.column == 0 && end.row > n.start_position().row {
        end.row - 1
    } else {
        end.row
    };
    u32::try_from(row).unwrap_or(u32::MAX - 1) + 1
}

/// The first line of `n` with the comments and attributes directly above it.
fn leading_start(n: Node<'_>) -> u32 {
    let mut start = start_line(n);
    let mut prev = n.prev_named_sibling();
    while let Some(p) = prev {
        let kind = p.kind();
        let attached = kind.contains("comment") || kind == "attribute_item" || kind == "decorator";
        if !attached || end_line(p) + 1 < start {
            break;
        }
        start = start_line(p);
        prev = p.prev_named_sibling();
    }
    start
}

fn text_of(n: Node<'_>, src: &[u8]) -> Option<String> {
    n.utf8_text(src).ok().map(str::to_owned)
}

fn field_text(n: Node<'_>, field: &str, src: &[u8]) -> Option<String> {
    n.child_by_field_name(field).and_then(|c| text_of(c, src))
}

/// A type as a parent name: `Parser<'a>` and `*Server` become `Parser` and `Server`.
fn bare_type(t: &str) -> String {
    let t = t.trim().trim_start_matches(['*', '&']).trim();
    let t = t.strip_prefix("mut ").unwrap_or(t);
    t.split(['<', '[', '('])
        .next()
        .unwrap_or(t)
        .trim()
        .to_owned()
}

fn classify<'t>(g: Grammar, n: Node<'t>, src: &[u8], parent: Parent<'_>) -> Option<Found<'t>> {
    match g {
        Grammar::Rust => rust(n, src, parent),
        Grammar::Python => python(n, src, parent),
        Grammar::JavaScript | Grammar::TypeScript | Grammar::Tsx => js(n, src, parent),
        Grammar::Go => go(n, src),
        Grammar::Java => java(n, src, parent),
        Grammar::C | Grammar::Cpp => c_family(n, src, parent),
    }
}

fn leaf<'t>(kind: ChunkKind, name: Option<String>, outer: Node<'t>) -> Found<'t> {
    Found {
        kind,
        name,
        body: None,
        outer,
        member_parent: None,
    }
}

fn container<'t>(
    kind: ChunkKind,
    name: Option<String>,
    outer: Node<'t>,
    body: Option<Node<'t>>,
) -> Found<'t> {
    Found {
        kind,
        name,
        body,
        outer,
        member_parent: None,
    }
}

/// A function inside a type is a method; inside a module or namespace it is a function.
fn fn_or_method(parent: Parent<'_>) -> ChunkKind {
    match parent {
        Some((_, kind)) if !matches!(kind, ChunkKind::Module) => ChunkKind::Method,
        _ => ChunkKind::Function,
    }
}

fn rust<'t>(n: Node<'t>, src: &[u8], parent: Parent<'_>) -> Option<Found<'t>> {
    let name = || field_text(n, "name", src);
    let body = n.child_by_field_name("body");
    Some(match n.kind() {
        "function_item" | "function_signature_item" => leaf(fn_or_method(parent), name(), n),
        "struct_item" | "union_item" => leaf(ChunkKind::Struct, name(), n),
        "enum_item" => leaf(ChunkKind::Enum, name(), n),
        "type_item" => leaf(ChunkKind::Type, name(), n),
        "const_item" | "static_item" => leaf(ChunkKind::Constant, name(), n),
        "macro_definition" => leaf(ChunkKind::Macro, name(), n),
        "trait_item" => container(ChunkKind::Trait, name(), n, body),
        "mod_item" => container(ChunkKind::Module, name(), n, body),
        "impl_item" => {
            let ty = field_text(n, "type", src).map(|t| bare_type(&t));
            let label = match (field_text(n, "trait", src), &ty) {
                (Some(tr), Some(ty)) => Some(format!("{tr} for {ty}")),
                _ => ty.clone(),
            };
            Found {
                kind: ChunkKind::Impl,
                name: label,
                body,
                outer: n,
                member_parent: ty,
            }
        }
        _ => return None,
    })
}

fn python<'t>(n: Node<'t>, src: &[u8], parent: Parent<'_>) -> Option<Found<'t>> {
    match n.kind() {
        "function_definition" => Some(leaf(fn_or_method(parent), field_text(n, "name", src), n)),
        "class_definition" => Some(container(
            ChunkKind::Class,
            field_text(n, "name", src),
            n,
            n.child_by_field_name("body"),
        )),
        "decorated_definition" => {
            let inner = n.child_by_field_name("definition")?;
            let mut found = python(inner, src, parent)?;
            found.outer = n;
            Some(found)
        }
        _ => None,
    }
}

fn js<'t>(n: Node<'t>, src: &[u8], parent: Parent<'_>) -> Option<Found<'t>> {
    let name = || field_text(n, "name", src);
    let body = n.child_by_field_name("body");
    Some(match n.kind() {
        "function_declaration" | "generator_function_declaration" | "function_signature" => {
            leaf(ChunkKind::Function, name(), n)
        }
        "class_declaration" | "abstract_class_declaration" => {
            container(ChunkKind::Class, name(), n, body)
        }
        "method_definition" | "abstract_method_signature" => leaf(ChunkKind::Method, name(), n),
        "interface_declaration" => leaf(ChunkKind::Interface, name(), n),
        "type_alias_declaration" => leaf(ChunkKind::Type, name(), n),
        "enum_declaration" => leaf(ChunkKind::Enum, name(), n),
        "internal_module" | "module" => container(ChunkKind::Module, name(), n, body),
        // `declare function f(): void;`
        "ambient_declaration" => {
            let mut cursor = n.walk();
            let inner: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
            let mut found = inner.into_iter().find_map(|c| js(c, src, parent))?;
            found.outer = n;
            return Some(found);
        }
        "export_statement" => {
            let inner = n.child_by_field_name("declaration")?;
            let mut found = js(inner, src, parent)?;
            found.outer = n;
            return Some(found);
        }
        // `const handler = (req) => { ... }` and `let f = function () { ... }`.
        "lexical_declaration" | "variable_declaration" => {
            let mut cursor = n.walk();
            let decl = n
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "variable_declarator")
                .find(|c| {
                    c.child_by_field_name("value").is_some_and(|v| {
                        matches!(
                            v.kind(),
                            "arrow_function"
                                | "function_expression"
                                | "function"
                                | "generator_function"
                        )
                    })
                })?;
            leaf(fn_or_method(parent), field_text(decl, "name", src), n)
        }
        // `handler = (req) => { ... }` as a class field.
        "public_field_definition" | "field_definition" => {
            let value = n.child_by_field_name("value")?;
            if !matches!(
                value.kind(),
                "arrow_function" | "function_expression" | "function"
            ) {
                return None;
            }
            let name = field_text(n, "name", src).or_else(|| field_text(n, "property", src));
            leaf(ChunkKind::Method, name, n)
        }
        _ => return None,
    })
}

fn go<'t>(n: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    match n.kind() {
        "function_declaration" => Some(leaf(ChunkKind::Function, field_text(n, "name", src), n)),
        "method_declaration" => {
            let receiver = n.child_by_field_name("receiver").and_then(|r| {
                let mut cursor = r.walk();
                let p = r
                    .named_children(&mut cursor)
                    .find(|c| c.kind() == "parameter_declaration")?;
                field_text(p, "type", src).map(|t| bare_type(&t))
            });
            let mut found = leaf(ChunkKind::Method, field_text(n, "name", src), n);
            // A method's parent is its receiver type; Go has no enclosing class node.
            found.member_parent = receiver;
            Some(found)
        }
        "type_declaration" => {
            let mut cursor = n.walk();
            let spec = n
                .named_children(&mut cursor)
                .find(|c| matches!(c.kind(), "type_spec" | "type_alias"))?;
            let kind = match spec.child_by_field_name("type").map(|t| t.kind()) {
                Some("struct_type") => ChunkKind::Struct,
                Some("interface_type") => ChunkKind::Interface,
                _ => ChunkKind::Type,
            };
            Some(leaf(kind, field_text(spec, "name", src), n))
        }
        _ => None,
    }
}

fn java<'t>(n: Node<'t>, src: &[u8], _parent: Parent<'_>) -> Option<Found<'t>> {
    let name = || field_text(n, "name", src);
    let body = n.child_by_field_name("body");
    Some(match n.kind() {
        "class_declaration" | "record_declaration" => container(ChunkKind::Class, name(), n, body),
        "interface_declaration" | "annotation_type_declaration" => {
            container(ChunkKind::Interface, name(), n, body)
        }
        "enum_declaration" => container(ChunkKind::Enum, name(), n, body),
        "method_declaration" | "constructor_declaration" | "compact_constructor_declaration" => {
            leaf(ChunkKind::Method, name(), n)
        }
        // Members of an enum live in its enum_body_declarations.
        "enum_body_declarations" => return None,
        _ => return None,
    })
}

fn c_family<'t>(n: Node<'t>, src: &[u8], parent: Parent<'_>) -> Option<Found<'t>> {
    match n.kind() {
        "function_definition" => {
            let (scope, name) = n
                .child_by_field_name("declarator")
                .and_then(|d| declarator_name(d, src))
                .map_or((None, None), |(s, name)| (s, Some(name)));
            // `void Server::start() { }` outside the class is still Server's method.
            let kind = if scope.is_some() {
                ChunkKind::Method
            } else {
                fn_or_method(parent)
            };
            let mut found = leaf(kind, name, n);
            found.member_parent = scope;
            Some(found)
        }
        "class_specifier" | "struct_specifier" | "union_specifier" | "enum_specifier" => {
            let body = n.child_by_field_name("body")?;
            let kind = match n.kind() {
                "class_specifier" => ChunkKind::Class,
                "enum_specifier" => ChunkKind::Enum,
                _ => ChunkKind::Struct,
            };
            let name = field_text(n, "name", src).map(|t| bare_type(&t));
            // Only C++ classes and structs hold methods worth their own chunks.
            let members = (kind != ChunkKind::Enum).then_some(body);
            Some(container(kind, name, n, members))
        }
        "namespace_definition" => Some(container(
            ChunkKind::Module,
            field_text(n, "name", src),
            n,
            n.child_by_field_name("body"),
        )),
        "template_declaration" => {
            let mut cursor = n.walk();
            let inner: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
            let mut found = inner.into_iter().find_map(|c| c_family(c, src, parent))?;
            found.outer = n;
            Some(found)
        }
        // `struct point { int x, y; };` and `typedef struct { ... } point;`.
        "declaration" | "type_definition" => {
            let ty = n.child_by_field_name("type")?;
            ty.child_by_field_name("body")?;
            let mut found = c_family(ty, src, parent)?;
            if found.name.is_none() {
                found.name = n
                    .child_by_field_name("declarator")
                    .and_then(|d| declarator_name(d, src))
                    .map(|(_, name)| name);
            }
            found.outer = n;
            Some(found)
        }
        _ => None,
    }
}

/// The name a C/C++ declarator declares, with its `Scope::` if qualified.
fn declarator_name(d: Node<'_>, src: &[u8]) -> Option<(Option<String>, String)> {
    match d.kind() {
        "identifier" | "field_identifier" | "type_identifier" | "operator_name"
        | "destructor_name" | "primitive_type" => Some((None, text_of(d, src)?)),
        "qualified_identifier" => {
            let scope = field_text(d, "scope", src).map(|s| bare_type(&s));
            let (_, name) = declarator_name(d.child_by_field_name("name")?, src)?;
            Some((scope, name))
        }
        _ => declarator_name(d.child_by_field_name("declarator")?, src),
    }
}
