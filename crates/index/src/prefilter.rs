//! What a file must contain for a query to match in it, as a tree of required literals.
//!
//! A regex is parsed (regex-syntax) and walked: a concatenation requires each of its
//! literal runs, an alternation requires one of its branches, an optional part requires
//! nothing. Literals are kept folded (see [`crate::trigram`]) so the same requirement
//! serves case-sensitive and case-insensitive searches. Literals shorter than three
//! characters require nothing; a query that requires nothing is answered by scanning all
//! files.

use regex_syntax::hir::{Class, Hir, HirKind};

use crate::trigram::{fold_char, fold_str};

/// Characters a class may hold and still count as one folded character (`[Kk\u{212A}]`).
const SMALL_CLASS: u32 = 8;
/// A repeated literal (`a{3}`) is unrolled up to this length.
const MAX_UNROLL: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Req {
    /// Nothing is known: every file is a candidate.
    True,
    /// The folded literal occurs in the file.
    Lit(Vec<u8>),
    All(Vec<Req>),
    Any(Vec<Req>),
}

impl Req {
    fn lit(folded: Vec<u8>) -> Self {
        if folded.len() >= 3 {
            Req::Lit(folded)
        } else {
            Req::True
        }
    }

    fn all(items: Vec<Req>) -> Self {
        let mut items: Vec<Req> = items.into_iter().filter(|r| *r != Req::True).collect();
        match items.len() {
            0 => Req::True,
            1 => items.remove(0),
            _ => Req::All(items),
        }
    }

    fn any(items: Vec<Req>) -> Self {
        if items.is_empty() || items.contains(&Req::True) {
            return Req::True;
        }
        let mut items = items;
        if items.len() == 1 {
            items.remove(0)
        } else {
            Req::Any(items)
        }
    }
}

/// The requirement for a literal search.
pub fn for_literal(text: &str) -> Req {
    Req::lit(fold_str(text))
}

/// The requirement for a regex search. A pattern regex-syntax cannot parse requires
/// nothing (the real matcher reports the error).
pub fn for_regex(pattern: &str) -> Req {
    match regex_syntax::ParserBuilder::new().build().parse(pattern) {
        Ok(hir) => analyze(&hir).into_req(),
        Err(_) => Req::True,
    }
}

/// A node either matches exactly one folded string, or carries a requirement.
struct Info {
    exact: Option<Vec<u8>>,
    req: Req,
}

impl Info {
    fn exact(s: Vec<u8>) -> Self {
        Self {
            exact: Some(s),
            req: Req::True,
        }
    }

    fn req(req: Req) -> Self {
        Self { exact: None, req }
    }

    fn into_req(self) -> Req {
        match self.exact {
            Some(s) => Req::lit(s),
            None => self.req,
        }
    }
}

fn analyze(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info::exact(Vec::new()),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => Info::exact(fold_str(s)),
            Err(_) => Info::req(Req::True),
        },
        HirKind::Class(class) => match single_fold(class) {
            Some(b) => Info::exact(vec![b]),
            None => Info::req(Req::True),
        },
        HirKind::Capture(cap) => analyze(&cap.sub),
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                return Info::req(Req::True);
            }
            let sub = analyze(&rep.sub);
            match sub.exact {
                Some(s) if rep.max == Some(rep.min) && s.len() * rep.min as usize <= MAX_UNROLL => {
                    Info::exact(s.repeat(rep.min as usize))
                }
                Some(s) => Info::req(Req::lit(s)),
                None => Info::req(sub.req),
            }
        }
        HirKind::Concat(children) => {
            let mut run: Vec<u8> = Vec::new();
            let mut reqs = Vec::new();
            let mut all_exact = true;
            for child in children {
                let info = analyze(child);
                match info.exact {
                    Some(s) => run.extend(s),
                    None => {
                        all_exact = false;
                        reqs.push(Req::lit(std::mem::take(&mut run)));
                        reqs.push(info.req);
                    }
                }
            }
            if all_exact {
                Info::exact(run)
            } else {
                reqs.push(Req::lit(run));
                Info::req(Req::all(reqs))
            }
        }
        HirKind::Alternation(children) => Info::req(Req::any(
            children.iter().map(|c| analyze(c).into_req()).collect(),
        )),
    }
}

/// The one folded byte every member of a small class folds to, if there is one.
fn single_fold(class: &Class) -> Option<u8> {
    let mut folded = None;
    let mut count = 0u32;
    let mut check = |f: u8| match folded {
        None => {
            folded = Some(f);
            true
        }
        Some(g) => g == f,
    };
    match class {
        Class::Unicode(u) => {
            for r in u.ranges() {
                count += u32::from(r.end()) - u32::from(r.start()) + 1;
                if count > SMALL_CLASS {
                    return None;
                }
                for c in r.start()..=r.end() {
                    if !check(fold_char(c)) {
                        return None;
                    }
                }
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                count += u32::from(r.end()) - u32::from(r.start()) + 1;
                if count > SMALL_CLASS {
                    return None;
                }
                for c in r.start()..=r.end() {
                    if !c.is_ascii() || !check(c.to_ascii_lowercase()) {
                        return None;
                    }
                }
            }
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Req {
        Req::Lit(s.as_bytes().to_vec())
    }

    #[test]
    fn literals() {
        assert_eq!(for_literal("HashMap"), lit("hashmap"));
        assert_eq!(for_literal("ab"), Req::True);
        assert_eq!(for_literal("a.b*c"), lit("a.b*c"));
    }

    #[test]
    fn regexes() {
        assert_eq!(
            for_regex(r"fn\s+main"),
            Req::All(vec![lit("main")]).simplified()
        );
        assert_eq!(
            for_regex(r"impl\s+\w+\s+for\s+Vec"),
            Req::All(vec![lit("impl"), lit("for"), lit("vec")])
        );
        assert_eq!(
            for_regex(r"(foo|barbaz)_x"),
            Req::Any(vec![lit("foo"), lit("barbaz")])
        );
        assert_eq!(for_regex(r"(?i)Kelvin\b"), lit("kelvin"));
        assert_eq!(for_regex(r"[Ss]truct Foo"), lit("struct foo"));
        assert_eq!(for_regex(r"(ab)+c"), Req::True);
        assert_eq!(for_regex(r"x(abc)?y"), Req::True);
        assert_eq!(for_regex(r"(abc){2}"), lit("abcabc"));
        assert_eq!(for_regex(r"\w+"), Req::True);
        assert_eq!(for_regex(r"(unclosed"), Req::True);
        assert_eq!(for_regex(r"foo|\d+"), Req::True);
    }

    impl Req {
        /// `All` of one item is that item (the constructor already does this).
        fn simplified(self) -> Req {
            match self {
                Req::All(mut v) if v.len() == 1 => v.remove(0),
                r => r,
            }
        }
    }
}
