//! Retrying failed operations.

use std::time::Duration;

/// The wait before attempt `n`: doubling from `base`, capped at `max`, with jitter in
/// [0.5, 1.0) so many clients do not retry in lockstep.
pub fn backoff_delay(attempt: u32, base: Duration, max: Duration, jitter: f64) -> Duration {
    let factor = 2u32.saturating_pow(attempt.min(16));
    let raw = base.saturating_mul(factor).min(max);
    raw.mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0)
}

/// Runs `op` until it succeeds or `attempts` runs out, sleeping between tries.
pub fn retry<T, E>(attempts: u32, mut op: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    let mut last = None;
    for n in 0..attempts {
        match op() {
            Ok(v) => return Ok(v),
            Err(e) => last = Some(e),
        }
        std::thread::sleep(backoff_delay(n, Duration::from_millis(100), Duration::from_secs(5), 0.5));
    }
    Err(last.expect("at least one attempt ran"))
}
