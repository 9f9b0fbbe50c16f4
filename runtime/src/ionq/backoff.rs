//! How often a job is polled: exponential backoff from `initial` by `factor`, capped at `max`,
//! with a bounded number of retries after transient failures (5xx, timeouts, broken connections).

use std::time::Duration;

/// Polling settings for [`super::IonqClient::wait`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PollPolicy {
    /// The first pause between two status requests.
    pub initial: Duration,
    /// The longest pause between two status requests (`Retry-After` may ask for longer).
    pub max: Duration,
    /// The growth of the pause after each poll, at least 1.
    pub factor: f64,
    /// Consecutive transient failures tolerated before the error is returned.
    pub transient_retries: u32,
}

impl Default for PollPolicy {
    /// One second, doubling up to thirty seconds; five transient failures in a row.
    fn default() -> Self {
        PollPolicy { initial: Duration::from_secs(1), max: Duration::from_secs(30), factor: 2.0, transient_retries: 5 }
    }
}

impl PollPolicy {
    /// The pause after `pause`: grown by `factor`, never above `max` nor below `initial`.
    pub(crate) fn next(&self, pause: Duration) -> Duration {
        pause.mul_f64(self.factor.max(1.0)).clamp(self.initial, self.max.max(self.initial))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_geometrically_up_to_the_cap() {
        let policy = PollPolicy::default();
        let mut pause = policy.initial;
        let mut seen = Vec::new();
        for _ in 0..7 {
            seen.push(pause.as_secs());
            pause = policy.next(pause);
        }
        assert_eq!(seen, [1, 2, 4, 8, 16, 30, 30]);
    }
}
