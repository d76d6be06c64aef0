//! A circuit breaker per provider: after `threshold` consecutive provider faults, calls
//! skip it for `cooldown`; then one trial call decides (half-open).

use std::time::{Duration, Instant};

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug)]
pub struct Breaker {
    threshold: u32,
    cooldown: Duration,
    failures: u32,
    open_until: Option<Instant>,
    trial_running: bool,
}

impl Breaker {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cooldown,
            failures: 0,
            open_until: None,
            trial_running: false,
        }
    }

    pub fn state(&self, now: Instant) -> BreakerState {
        match self.open_until {
            None => BreakerState::Closed,
            Some(t) if now < t => BreakerState::Open,
            Some(_) => BreakerState::HalfOpen,
        }
    }

    /// May a call go ahead? `Err(remaining)` while open. In half-open state one trial at
    /// a time goes ahead.
    pub fn admit(&mut self, now: Instant) -> Result<(), Duration> {
        match self.state(now) {
            BreakerState::Closed => Ok(()),
            BreakerState::Open => Err(self.open_until.map_or(Duration::ZERO, |t| t - now)),
            BreakerState::HalfOpen if self.trial_running => Err(Duration::ZERO),
            BreakerState::HalfOpen => {
                self.trial_running = true;
                Ok(())
            }
        }
    }

    pub fn success(&mut self) {
        self.failures = 0;
        self.open_until = None;
        self.trial_running = false;
    }

    pub fn failure(&mut self, now: Instant) {
        self.failures += 1;
        let was_trial = std::mem::take(&mut self.trial_running);
        if was_trial || self.failures >= self.threshold {
            self.open_until = Some(now + self.cooldown);
        }
    }

    /// A call that ended for reasons that say nothing about the provider (cancelled).
    pub fn release(&mut self) {
        self.trial_running = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_then_half_opens_for_one_trial() {
        let t0 = Instant::now();
        let mut b = Breaker::new(2, Duration::from_secs(10));
        b.failure(t0);
        assert!(b.admit(t0).is_ok(), "one failure is below the threshold");
        b.failure(t0);
        assert_eq!(b.state(t0), BreakerState::Open);
        assert!(b.admit(t0 + Duration::from_secs(5)).is_err());
        let later = t0 + Duration::from_secs(11);
        assert_eq!(b.state(later), BreakerState::HalfOpen);
        assert!(b.admit(later).is_ok(), "the trial call");
        assert!(b.admit(later).is_err(), "only one trial at a time");
        b.failure(later);
        assert_eq!(
            b.state(later),
            BreakerState::Open,
            "a failed trial re-opens"
        );
        let much_later = later + Duration::from_secs(11);
        assert!(b.admit(much_later).is_ok());
        b.success();
        assert_eq!(b.state(much_later), BreakerState::Closed);
        assert!(b.admit(much_later).is_ok());
    }
}
