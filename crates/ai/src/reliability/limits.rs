//! Per-provider rate limits: requests per minute (a sliding window) and concurrent
//! requests (a semaphore). Waiting for either is cancellable.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::AiError;

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct Limiter {
    per_minute: usize,
    sent: Mutex<VecDeque<Instant>>,
    concurrent: Option<Arc<Semaphore>>,
}

/// Held while a request runs; frees its concurrency slot when dropped.
#[derive(Debug)]
pub struct Permit {
    _slot: Option<OwnedSemaphorePermit>,
}

impl Limiter {
    /// 0 means no limit, for either.
    pub fn new(per_minute: u32, max_concurrent: u32) -> Self {
        Self {
            per_minute: per_minute as usize,
            sent: Mutex::new(VecDeque::new()),
            concurrent: (max_concurrent > 0)
                .then(|| Arc::new(Semaphore::new(max_concurrent as usize))),
        }
    }

    /// How long until another request fits in the per-minute window (zero if now), and
    /// records it when it does.
    fn reserve(&self, now: Instant) -> Duration {
        if self.per_minute == 0 {
            return Duration::ZERO;
        }
        let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        while sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            sent.pop_front();
        }
        if sent.len() < self.per_minute {
            sent.push_back(now);
            return Duration::ZERO;
        }
        sent.front().map_or(Duration::ZERO, |oldest| {
            (*oldest + WINDOW).saturating_duration_since(now)
        })
    }

    /// Waits for a slot. Gives up with `RateLimited` if the wait would exceed `max_wait`.
    pub async fn acquire(
        &self,
        cancel: &CancellationToken,
        max_wait: Duration,
    ) -> Result<Permit, AiError> {
        let started = Instant::now();
        loop {
            let wait = self.reserve(Instant::now());
            if wait.is_zero() {
                break;
            }
            if started.elapsed() + wait > max_wait {
                return Err(AiError::RateLimited {
                    retry_after: Some(wait),
                });
            }
            tokio::select! {
                () = cancel.cancelled() => return Err(AiError::Cancelled),
                () = tokio::time::sleep(wait) => {}
            }
        }
        let slot = match &self.concurrent {
            None => None,
            Some(sem) => {
                let sem = Arc::clone(sem);
                tokio::select! {
                    () = cancel.cancelled() => return Err(AiError::Cancelled),
                    p = tokio::time::timeout(max_wait, sem.acquire_owned()) => match p {
                        Ok(Ok(p)) => Some(p),
                        Ok(Err(_)) => return Err(AiError::Internal("limiter closed".into())),
                        Err(_) => return Err(AiError::RateLimited { retry_after: None }),
                    },
                }
            }
        };
        Ok(Permit { _slot: slot })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn per_minute_window_refuses_past_the_limit() {
        let l = Limiter::new(2, 0);
        let c = CancellationToken::new();
        l.acquire(&c, Duration::from_millis(10)).await.unwrap();
        l.acquire(&c, Duration::from_millis(10)).await.unwrap();
        let e = l.acquire(&c, Duration::from_millis(10)).await.unwrap_err();
        assert!(
            matches!(e, AiError::RateLimited { retry_after: Some(d) } if d > Duration::from_secs(50)),
            "{e:?}"
        );
    }

    #[tokio::test]
    async fn concurrency_slots_are_returned_on_drop() {
        let l = Limiter::new(0, 1);
        let c = CancellationToken::new();
        let first = l.acquire(&c, Duration::from_millis(20)).await.unwrap();
        assert!(
            l.acquire(&c, Duration::from_millis(20)).await.is_err(),
            "the only slot is taken"
        );
        drop(first);
        assert!(l.acquire(&c, Duration::from_millis(20)).await.is_ok());
    }

    #[tokio::test]
    async fn waiting_is_cancellable() {
        let l = Limiter::new(0, 1);
        let c = CancellationToken::new();
        let _held = l.acquire(&c, Duration::from_secs(5)).await.unwrap();
        let c2 = c.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            c2.cancel();
        });
        let e = l.acquire(&c, Duration::from_secs(5)).await.unwrap_err();
        assert_eq!(e, AiError::Cancelled);
    }
}
