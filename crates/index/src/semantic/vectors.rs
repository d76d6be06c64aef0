//! The vector store's search side: every chunk vector of a project, quantized to int8 with
//! one scale per vector, in one flat array scanned exactly for the top k.
//!
//! Why flat int8 and not a graph index: at 10^5 chunks a full scan is a few milliseconds
//! (under the 10 ms budget), recall against exact float cosine stays near 1 (no
//! approximation beyond rounding), replacing one file's vectors is a swap-remove and an
//! append, and there is nothing to rebuild or tune. The durable copy lives in SQLite
//! ([`super::db`]); this array is rebuilt from it at open.

use std::collections::HashMap;

use super::embed::DIM;

/// A vector reduced to int8: `value ≈ q * scale`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantized {
    pub q: Vec<i8>,
    pub scale: f32,
}

impl Quantized {
    pub fn from_f32(v: &[f32]) -> Self {
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        let q = v
            .iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
            .collect();
        Self { q, scale }
    }

    /// The stored form: DIM bytes, then the scale as 4 little-endian bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.q.iter().map(|&b| b as u8).collect();
        out.extend_from_slice(&self.scale.to_le_bytes());
        out
    }

    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        if b.len() != DIM + 4 {
            return None;
        }
        let scale = f32::from_le_bytes(b[DIM..].try_into().ok()?);
        Some(Self {
            q: b[..DIM].iter().map(|&x| x as i8).collect(),
            scale,
        })
    }
}

/// All vectors of a project, by chunk id, each tagged with its file's id (for filters).
#[derive(Debug, Default)]
pub struct VectorIndex {
    data: Vec<i8>,
    scales: Vec<f32>,
    ids: Vec<i64>,
    tags: Vec<i64>,
    rows: HashMap<i64, usize>,
}

impl VectorIndex {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, id: i64) -> bool {
        self.rows.contains_key(&id)
    }

    /// Adds or replaces the vector of chunk `id` (of file `tag`).
    pub fn insert(&mut self, id: i64, tag: i64, v: &Quantized) {
        if v.q.len() != DIM {
            return;
        }
        if let Some(&row) = self.rows.get(&id) {
            self.data[row * DIM..(row + 1) * DIM].copy_from_slice(&v.q);
            self.scales[row] = v.scale;
            self.tags[row] = tag;
            return;
        }
        self.rows.insert(id, self.ids.len());
        self.ids.push(id);
        self.tags.push(tag);
        self.data.extend_from_slice(&v.q);
        self.scales.push(v.scale);
    }

    /// Removes chunk `id`'s vector: the last row moves into its place.
    pub fn remove(&mut self, id: i64) {
        let Some(row) = self.rows.remove(&id) else {
            return;
        };
        let last = self.ids.len() - 1;
        if row != last {
            let moved = self.ids[last];
            self.data
                .copy_within(last * DIM..(last + 1) * DIM, row * DIM);
            self.scales[row] = self.scales[last];
            self.tags[row] = self.tags[last];
            self.ids[row] = moved;
            self.rows.insert(moved, row);
        }
        self.ids.pop();
        self.tags.pop();
        self.scales.pop();
        self.data.truncate(last * DIM);
    }

    /// The `k` chunks most similar to `query` (unit length) by cosine, best first, among
    /// those whose tag `keep` accepts.
    pub fn top_k(&self, query: &[f32], k: usize, keep: &dyn Fn(i64) -> bool) -> Vec<(i64, f32)> {
        if k == 0 || query.len() != DIM {
            return Vec::new();
        }
        let q = Quantized::from_f32(query);
        // A min-heap of the best k so far would save little at these sizes; a bounded,
        // sorted buffer keeps the scan branch-light.
        let mut best: Vec<(f32, i64)> = Vec::with_capacity(k + 1);
        let mut floor = f32::NEG_INFINITY;
        for (row, v) in self.data.chunks_exact(DIM).enumerate() {
            let score = dot(&q.q, v) as f32 * self.scales[row];
            if best.len() == k && score <= floor {
                continue;
            }
            if !keep(self.tags[row]) {
                continue;
            }
            let id = self.ids[row];
            let at = best.partition_point(|(s, _)| *s >= score);
            best.insert(at, (score, id));
            if best.len() > k {
                best.pop();
            }
            if best.len() == k {
                floor = best[k - 1].0;
            }
        }
        best.into_iter().map(|(s, id)| (id, s * q.scale)).collect()
    }
}

/// Integer dot product; written so the compiler vectorizes it (i8 pairs widened to i32).
fn dot(a: &[i8], b: &[i8]) -> i32 {
    let mut acc = [0i32; 16];
    for (ca, cb) in a.chunks_exact(16).zip(b.chunks_exact(16)) {
        for i in 0..16 {
            acc[i] += i32::from(ca[i]) * i32::from(cb[i]);
        }
    }
    acc.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(seed: u32) -> Vec<f32> {
        // A cheap deterministic spread of values, normalised.
        let mut x = seed.wrapping_mul(2_654_435_761).max(1);
        let mut v: Vec<f32> = (0..DIM)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x % 2001) as f32 / 1000.0 - 1.0
            })
            .collect();
        let n = v.iter().map(|a| a * a).sum::<f32>().sqrt();
        v.iter_mut().for_each(|a| *a /= n);
        v
    }

    #[test]
    fn finds_the_vector_itself_first_with_cosine_near_one() {
        let mut ix = VectorIndex::default();
        for i in 0..200 {
            ix.insert(i, i, &Quantized::from_f32(&unit(i as u32 + 1)));
        }
        let hits = ix.top_k(&unit(43), 5, &|_| true);
        assert_eq!(hits[0].0, 42);
        assert!((hits[0].1 - 1.0).abs() < 0.02, "{}", hits[0].1);
        assert!(hits.windows(2).all(|w| w[0].1 >= w[1].1));
    }

    #[test]
    fn remove_and_replace_keep_rows_consistent() {
        let mut ix = VectorIndex::default();
        for i in 0..10 {
            ix.insert(i, i, &Quantized::from_f32(&unit(i as u32 + 1)));
        }
        ix.remove(3);
        ix.remove(9);
        ix.remove(77);
        assert_eq!(ix.len(), 8);
        assert!(!ix.contains(3));
        // Every remaining id still finds itself.
        for i in [0, 1, 2, 4, 5, 6, 7, 8] {
            assert_eq!(ix.top_k(&unit(i as u32 + 1), 1, &|_| true)[0].0, i);
        }
        ix.insert(5, 5, &Quantized::from_f32(&unit(1000)));
        assert_eq!(ix.top_k(&unit(1000), 1, &|_| true)[0].0, 5);
        assert_eq!(ix.len(), 8);
    }

    #[test]
    fn the_filter_applies() {
        let mut ix = VectorIndex::default();
        for i in 0..50 {
            ix.insert(i, i, &Quantized::from_f32(&unit(i as u32 + 1)));
        }
        let hits = ix.top_k(&unit(11), 10, &|id| id % 2 == 1);
        assert!(hits.iter().all(|(id, _)| id % 2 == 1));
        assert_eq!(hits.len(), 10);
        assert!(!hits.iter().any(|(id, _)| *id == 10));
    }

    #[test]
    fn bytes_round_trip() {
        let q = Quantized::from_f32(&unit(7));
        assert_eq!(Quantized::from_bytes(&q.to_bytes()), Some(q));
        assert_eq!(Quantized::from_bytes(&[1, 2, 3]), None);
    }
}
