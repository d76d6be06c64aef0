//! AI edits as hunks: the model's rewrite is diffed against the text it was given, each
//! change becomes a hunk the user accepts or rejects, and accepted hunks are applied to
//! the file only where the text they replace is still exactly there (conflict check).

use serde::{Deserialize, Serialize};
use similar::{DiffTag, TextDiff};
use specta::Type;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Hunk {
    pub id: u32,
    /// 1-based first line replaced; for a pure insertion, the line it goes before.
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
    /// The lines replaced and their replacement, line endings included.
    pub old_text: String,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("hunk {0} does not exist in this edit")]
    UnknownHunk(u32),
    #[error("the file changed where hunk {id} applies (line {line}); regenerate the edit")]
    Conflict { id: u32, line: u32 },
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The hunks that turn `old` into `new` (adjacent changes merged into one).
pub fn hunks(old: &str, new: &str) -> Vec<Hunk> {
    let diff = TextDiff::from_lines(old, new);
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out: Vec<Hunk> = Vec::new();
    let mut open: Option<(std::ops::Range<usize>, std::ops::Range<usize>)> = None;
    let flush = |range: Option<(std::ops::Range<usize>, std::ops::Range<usize>)>,
                 out: &mut Vec<Hunk>| {
        if let Some((o, n)) = range {
            out.push(Hunk {
                id: u32_of(out.len() + 1),
                old_start: u32_of(o.start + 1),
                old_lines: u32_of(o.len()),
                new_start: u32_of(n.start + 1),
                new_lines: u32_of(n.len()),
                old_text: old_lines[o].concat(),
                new_text: new_lines[n].concat(),
            });
        }
    };
    for op in diff.ops() {
        if op.tag() == DiffTag::Equal {
            flush(open.take(), &mut out);
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        open = Some(match open.take() {
            Some((po, pn)) => (po.start..o.end, pn.start..n.end),
            None => (o, n),
        });
    }
    flush(open.take(), &mut out);
    out
}

/// Applies the `accepted` hunks to `current`, checking that each still finds the lines
/// it replaces at its place. Hunks not accepted leave their lines as they are.
pub fn apply(current: &str, all: &[Hunk], accepted: &[u32]) -> Result<String, ApplyError> {
    let lines: Vec<&str> = current.split_inclusive('\n').collect();
    let mut chosen: Vec<&Hunk> = Vec::new();
    for id in accepted {
        let h = all
            .iter()
            .find(|h| h.id == *id)
            .ok_or(ApplyError::UnknownHunk(*id))?;
        let start = h.old_start as usize - 1;
        let end = start + h.old_lines as usize;
        let here = lines.get(start..end).map(|l| l.concat());
        if here.as_deref() != Some(h.old_text.as_str()) {
            return Err(ApplyError::Conflict {
                id: h.id,
                line: h.old_start,
            });
        }
        chosen.push(h);
    }
    chosen.sort_by_key(|h| h.old_start);
    chosen.dedup_by_key(|h| h.id);
    let mut out = String::with_capacity(current.len());
    let mut next = 0usize;
    for h in chosen {
        let start = h.old_start as usize - 1;
        out.push_str(&lines[next..start].concat());
        out.push_str(&h.new_text);
        next = start + h.old_lines as usize;
    }
    out.push_str(&lines[next.min(lines.len())..].concat());
    Ok(out)
}

/// Applies accepted hunks made against `base` to `current` (the file as it is now). When
/// the file changed since, each accepted hunk also needs the line before and after it
/// unchanged: an insertion has no lines of its own to check, its neighbours stand in.
pub fn apply_rebased(
    base: &str,
    current: &str,
    all: &[Hunk],
    accepted: &[u32],
) -> Result<String, ApplyError> {
    if base != current {
        let b: Vec<&str> = base.split_inclusive('\n').collect();
        let c: Vec<&str> = current.split_inclusive('\n').collect();
        for id in accepted {
            let Some(h) = all.iter().find(|h| h.id == *id) else {
                return Err(ApplyError::UnknownHunk(*id));
            };
            let start = (h.old_start as usize).saturating_sub(2);
            let end = (h.old_start as usize - 1 + h.old_lines as usize + 1).min(b.len());
            if b.get(start..end) != c.get(start..end) {
                return Err(ApplyError::Conflict {
                    id: h.id,
                    line: h.old_start,
                });
            }
        }
    }
    apply(current, all, accepted)
}

/// The code of an answer: the longest fenced block, else the whole answer.
pub fn extract_code(answer: &str) -> String {
    let mut best: Option<String> = None;
    let mut rest = answer;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let Some(nl) = after.find('\n') else { break };
        let body = &after[nl + 1..];
        let Some(close) = body
            .find("\n```")
            .map(|i| i + 1)
            .or_else(|| body.strip_prefix("```").map(|_| 0))
        else {
            // An unclosed fence (cut off): take what there is.
            if best.as_ref().is_none_or(|b| b.len() < body.len()) {
                best = Some(body.to_owned());
            }
            break;
        };
        let code = &body[..close];
        if best.as_ref().is_none_or(|b| b.len() < code.len()) {
            best = Some(code.to_owned());
        }
        rest = &body[close + 3..];
    }
    best.unwrap_or_else(|| answer.trim().to_owned() + "\n")
}

/// The whole new file when the model rewrote only `[sel_start, sel_end)` (byte offsets).
pub fn splice(text: &str, sel_start: usize, sel_end: usize, replacement: &str) -> String {
    let original = &text[sel_start..sel_end];
    let mut rep = replacement.to_owned();
    if original.ends_with('\n') && !rep.ends_with('\n') {
        rep.push('\n');
    } else if !original.ends_with('\n') && rep.ends_with('\n') {
        rep.pop();
    }
    format!("{}{}{}", &text[..sel_start], rep, &text[sel_end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "a\nb\nc\nd\ne\n";
    const NEW: &str = "a\nB\nc\nd\ne2\nf\n";

    #[test]
    fn hunks_and_partial_accept() {
        let hs = hunks(OLD, NEW);
        assert_eq!(hs.len(), 2, "{hs:?}");
        assert_eq!(
            (
                hs[0].old_start,
                hs[0].old_text.as_str(),
                hs[0].new_text.as_str()
            ),
            (2, "b\n", "B\n")
        );
        assert_eq!(hs[1].old_text, "e\n");
        assert_eq!(hs[1].new_text, "e2\nf\n");
        assert_eq!(apply(OLD, &hs, &[1, 2]).unwrap(), NEW);
        assert_eq!(apply(OLD, &hs, &[2]).unwrap(), "a\nb\nc\nd\ne2\nf\n");
        assert_eq!(apply(OLD, &hs, &[1]).unwrap(), "a\nB\nc\nd\ne\n");
        assert_eq!(apply(OLD, &hs, &[]).unwrap(), OLD);
        assert_eq!(apply(OLD, &hs, &[9]), Err(ApplyError::UnknownHunk(9)));
    }

    #[test]
    fn a_changed_region_is_a_conflict_and_an_untouched_one_still_applies() {
        let hs = hunks(OLD, NEW);
        let changed = "a\nX\nc\nd\ne\n"; // someone edited line 2 meanwhile
        assert_eq!(
            apply(changed, &hs, &[1]),
            Err(ApplyError::Conflict { id: 1, line: 2 })
        );
        assert_eq!(apply(changed, &hs, &[2]).unwrap(), "a\nX\nc\nd\ne2\nf\n");
    }

    #[test]
    fn an_insertion_conflicts_when_its_neighbours_changed() {
        let base = "a\nb\nc\n";
        let hs = hunks(base, "a\nnew\nb\nc\n");
        assert_eq!((hs[0].old_lines, hs[0].old_start), (0, 2));
        assert!(
            apply_rebased(base, "a\nB\nc\n", &hs, &[1]).is_err(),
            "the line after changed"
        );
        assert_eq!(
            apply_rebased(base, "a\nb\nc\nmore\n", &hs, &[1]).unwrap(),
            "a\nnew\nb\nc\nmore\n"
        );
        assert_eq!(
            apply_rebased(base, base, &hs, &[1]).unwrap(),
            "a\nnew\nb\nc\n"
        );
    }

    #[test]
    fn code_is_extracted_from_fences() {
        assert_eq!(
            extract_code("Here:\n```rust\nfn a() {}\n```\nDone."),
            "fn a() {}\n"
        );
        assert_eq!(extract_code("```\nx\n```\n```\nlonger\n```"), "longer\n");
        assert_eq!(extract_code("no fence"), "no fence\n");
        assert_eq!(extract_code("```py\ncut off"), "cut off");
    }

    #[test]
    fn splice_keeps_the_selection_line_ending() {
        assert_eq!(splice("a\nb\nc\n", 2, 4, "B"), "a\nB\nc\n");
        assert_eq!(splice("a b c", 2, 3, "B\n"), "a B c");
    }
}
