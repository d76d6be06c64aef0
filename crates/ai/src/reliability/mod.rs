//! Keeping calls alive when providers are not: a circuit breaker and rate limits per
//! provider, and the backoff between retries.

mod breaker;
mod limits;

use std::time::Duration;

pub use breaker::{Breaker, BreakerState};
pub use limits::{Limiter, Permit};

use crate::AiError;

/// The longest Retry-After we wait for; longer ones move on to the next provider.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// How long to wait before retry number `attempt` (1-based) after `err`, or `None` to
/// stop retrying this provider. A Retry-After from the server wins over the backoff.
pub fn retry_delay(
    err: &AiError,
    attempt: u32,
    max_retries: u32,
    base: Duration,
) -> Option<Duration> {
    if attempt > max_retries || !err.retryable() {
        return None;
    }
    if let AiError::RateLimited {
        retry_after: Some(after),
    } = err
    {
        return (*after <= MAX_RETRY_WAIT).then_some(*after);
    }
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
    Some((base * factor).min(Duration::from_secs(8)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_retry_after_wins() {
        let base = Duration::from_millis(100);
        let e = AiError::Server {
            status: 500,
            message: String::new(),
        };
        assert_eq!(
            retry_delay(&e, 1, 3, base),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            retry_delay(&e, 3, 3, base),
            Some(Duration::from_millis(400))
        );
        assert_eq!(retry_delay(&e, 4, 3, base), None, "out of retries");
        let limited = AiError::RateLimited {
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(
            retry_delay(&limited, 1, 3, base),
            Some(Duration::from_secs(2))
        );
        let long = AiError::RateLimited {
            retry_after: Some(Duration::from_secs(600)),
        };
        assert_eq!(
            retry_delay(&long, 1, 3, base),
            None,
            "too long: fall back instead"
        );
        let bad_key = AiError::Rejected {
            status: 401,
            message: String::new(),
        };
        assert_eq!(retry_delay(&bad_key, 1, 3, base), None);
    }
}
