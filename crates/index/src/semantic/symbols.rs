//! Go to symbol in workspace: every named chunk, ranked by nucleo against the query like
//! quick-open ranks paths. The list is built from the database on first use and dropped
//! whenever a file is re-chunked, so it is never stale and costs nothing while unused.

use std::sync::Arc;

use aura_core::Result;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

use super::{Shared, SymbolMatch};
use crate::chunk::ChunkKind;
use crate::fuzzy::utf16_indices;
use crate::project::lock;

pub(crate) struct SymbolList {
    entries: Vec<Entry>,
}

struct Entry {
    name: String,
    utf32: Utf32String,
    kind: ChunkKind,
    parent: Option<String>,
    path: String,
    line: u32,
}

/// An exact name beats a prefix, a prefix beats a scattered match (nucleo score units).
const EXACT_BONUS: u32 = 400;
const PREFIX_BONUS: u32 = 100;

fn list(shared: &Shared) -> Result<Arc<SymbolList>> {
    if let Some(l) = lock(&shared.symbols).as_ref() {
        return Ok(Arc::clone(l));
    }
    let rows = shared.with_reader(|db| db.symbols())?;
    let entries = rows
        .into_iter()
        .filter(|r| r.kind.is_symbol())
        .filter_map(|r| {
            let name = r.symbol?;
            Some(Entry {
                utf32: Utf32String::from(name.as_str()),
                name,
                kind: r.kind,
                parent: r.parent,
                path: r.path,
                line: r.line_start,
            })
        })
        .collect();
    let l = Arc::new(SymbolList { entries });
    *lock(&shared.symbols) = Some(Arc::clone(&l));
    Ok(l)
}

pub(super) fn search(shared: &Shared, query: &str, limit: usize) -> Result<Vec<SymbolMatch>> {
    let list = list(shared)?;
    let query = query.trim();
    let limit = limit.clamp(1, 1000);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let pattern = Pattern::new(
        query,
        CaseMatching::Smart,
        Normalization::Smart,
        AtomKind::Fuzzy,
    );
    let mut matcher = Matcher::new(Config::DEFAULT);
    let lower = query.to_lowercase();
    let mut scored: Vec<(u32, usize)> = Vec::new();
    for (i, e) in list.entries.iter().enumerate() {
        let Some(base) = pattern.score(e.utf32.slice(..), &mut matcher) else {
            continue;
        };
        let name = e.name.to_lowercase();
        let bonus = if name == lower {
            EXACT_BONUS
        } else if name.starts_with(&lower) {
            PREFIX_BONUS
        } else {
            0
        };
        scored.push((base + bonus, i));
    }
    let key = |&(s, i): &(u32, usize)| {
        let e = &list.entries[i];
        (std::cmp::Reverse(s), e.name.len(), e.path.len(), i)
    };
    if scored.len() > limit {
        scored.select_nth_unstable_by_key(limit, key);
        scored.truncate(limit);
    }
    scored.sort_unstable_by_key(key);
    let mut buf = Vec::new();
    Ok(scored
        .into_iter()
        .map(|(score, i)| {
            let e = &list.entries[i];
            buf.clear();
            pattern.indices(e.utf32.slice(..), &mut matcher, &mut buf);
            SymbolMatch {
                name: e.name.clone(),
                kind: e.kind,
                parent: e.parent.clone(),
                path: e.path.clone(),
                line: e.line,
                score,
                indices: utf16_indices(&e.name, &mut buf),
            }
        })
        .collect())
}
