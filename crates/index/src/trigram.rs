//! Trigrams: the prefilter that lets a substring or regex search read only the files that
//! can match.
//!
//! Text is first folded to one byte per character: ASCII lowercased, every other character
//! to one placeholder byte, except the two non-ASCII characters whose case folds to ASCII
//! (KELVIN SIGN to `k`, LONG S to `s`). Two characters that match case-insensitively
//! therefore always fold to the same byte, so a file containing a match of a literal holds
//! every trigram of the folded literal, whatever the case options. The converse is not
//! needed: candidates are verified by the real matcher.

/// The byte every non-ASCII character folds to (bar the two exceptions).
pub const OTHER: u8 = 0x80;
/// Folded symbols are 0..=0x80.
const SYMBOLS: u32 = 0x81;
const SPACE: usize = (SYMBOLS * SYMBOLS * SYMBOLS) as usize;

pub fn fold_char(c: char) -> u8 {
    if c.is_ascii() {
        (c as u8).to_ascii_lowercase()
    } else {
        match c {
            '\u{212A}' => b'k',
            '\u{017F}' => b's',
            _ => OTHER,
        }
    }
}

pub fn fold_str(s: &str) -> Vec<u8> {
    s.chars().map(fold_char).collect()
}

/// The trigram of three folded bytes, as the value stored in the index.
pub fn key(a: u8, b: u8, c: u8) -> u32 {
    (u32::from(a) * SYMBOLS + u32::from(b)) * SYMBOLS + u32::from(c)
}

/// The distinct trigrams of a folded literal (empty when it is shorter than three).
pub fn of_folded(folded: &[u8]) -> Vec<u32> {
    let mut out: Vec<u32> = folded.windows(3).map(|w| key(w[0], w[1], w[2])).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Collects the distinct trigrams of whole files, reusing one bitmap (260 KB) so a file
/// costs one pass over its text.
pub struct TrigramSet {
    bits: Vec<u64>,
    found: Vec<u32>,
}

impl std::fmt::Debug for TrigramSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrigramSet").finish_non_exhaustive()
    }
}

impl Default for TrigramSet {
    fn default() -> Self {
        Self {
            bits: vec![0; SPACE.div_ceil(64)],
            found: Vec::new(),
        }
    }
}

impl TrigramSet {
    /// The distinct trigrams of `text`, in first-seen order. Valid until the next call.
    pub fn collect(&mut self, text: &str) -> &[u32] {
        for k in self.found.drain(..) {
            self.bits[(k / 64) as usize] &= !(1u64 << (k % 64));
        }
        let (mut a, mut b) = (None::<u8>, None::<u8>);
        for c in text.chars() {
            let f = fold_char(c);
            if let (Some(x), Some(y)) = (a, b) {
                let k = key(x, y, f);
                let (word, bit) = ((k / 64) as usize, 1u64 << (k % 64));
                if self.bits[word] & bit == 0 {
                    self.bits[word] |= bit;
                    self.found.push(k);
                }
            }
            a = b;
            b = Some(f);
        }
        &self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_variants_fold_together() {
        assert_eq!(fold_str("Kelvin"), fold_str("\u{212A}ELVIN"));
        assert_eq!(fold_str("ſtr"), b"str");
        assert_eq!(fold_str("É"), fold_str("é"));
    }

    #[test]
    fn file_trigrams_contain_every_literal_trigram() {
        let mut set = TrigramSet::default();
        let text = "fn parseHttpRequest() { Straße }\n";
        let have: std::collections::HashSet<u32> = set.collect(text).iter().copied().collect();
        for lit in ["PARSEhttp", "request()", "straSSe", "straße"] {
            let want = of_folded(&fold_str(lit));
            let ok = want.iter().all(|k| have.contains(k));
            // "straSSe" is not in the text (ß is one character); the others are.
            assert_eq!(ok, lit != "straSSe", "{lit}");
        }
        // The bitmap is cleared between files.
        let again = set.collect("abc").to_vec();
        assert_eq!(again, vec![key(b'a', b'b', b'c')]);
    }
}
