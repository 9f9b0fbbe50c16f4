//! The HTTP side: one blocking agent, one request helper that maps statuses to [`IonqError`],
//! and the job calls built on it.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::backoff::PollPolicy;
use super::error::IonqError;
use super::job::{self, JobId, JobStatus, Probabilities};

/// IonQ's production API root.
pub const IONQ_API_ROOT: &str = "https://api.ionq.co/v0.4";

/// The environment variable holding the API key.
const KEY_VARIABLE: &str = "IONQ_API_KEY";

/// The longest slice a wait sleeps before looking at the cancel flag again.
const CANCEL_CHECK: Duration = Duration::from_millis(50);

/// A client for one API root and one key. Its `Debug` output never shows the key.
pub struct IonqClient {
    root: String,
    key: String,
    agent: ureq::Agent,
    request_timeout: Duration,
    poll: PollPolicy,
}

impl fmt::Debug for IonqClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IonqClient")
            .field("root", &self.root)
            .field("key", &"<redacted>")
            .field("request_timeout", &self.request_timeout)
            .field("poll", &self.poll)
            .finish()
    }
}

enum Method {
    Get,
    Post(String),
    Put,
}

impl IonqClient {
    /// A client for `root` (e.g. [`IONQ_API_ROOT`]) with the key in `IONQ_API_KEY`, a 30 s
    /// request timeout and the default [`PollPolicy`]. Failure contract:
    /// [`IonqError::MissingKey`] if the variable is unset, empty or not Unicode.
    pub fn from_env(root: &str) -> Result<IonqClient, IonqError> {
        match std::env::var(KEY_VARIABLE) {
            Ok(key) if !key.trim().is_empty() => Ok(IonqClient::with_key(root, key.trim())),
            _ => Err(IonqError::MissingKey),
        }
    }

    /// A client for `root` with an explicit key (for callers holding the key from elsewhere in
    /// the environment, and for tests).
    pub fn with_key(root: &str, key: &str) -> IonqClient {
        let request_timeout = Duration::from_secs(30);
        IonqClient {
            root: root.trim_end_matches('/').to_string(),
            key: key.to_string(),
            agent: agent(request_timeout),
            request_timeout,
            poll: PollPolicy::default(),
        }
    }

    /// The same client with another limit on each HTTP request (connect, send and read).
    pub fn with_request_timeout(mut self, timeout: Duration) -> IonqClient {
        self.request_timeout = timeout;
        self.agent = agent(timeout);
        self
    }

    /// The same client with another polling policy for [`IonqClient::wait`].
    pub fn with_poll_policy(mut self, poll: PollPolicy) -> IonqClient {
        self.poll = poll;
        self
    }

    /// Submits a job body (`POST /jobs`) and returns its id. Failure contract: any
    /// [`IonqError`] of a request; a 429 is returned, not retried, and so is a 5xx (the job may
    /// or may not exist then, so resubmitting is the caller's choice).
    pub fn submit(&self, body: &Value) -> Result<JobId, IonqError> {
        let reply = self.request(Method::Post(body.to_string()), "/jobs", "job endpoint")?;
        job::parse_job_id(&parse_json(&reply)?)
    }

    /// The job's current state (`GET /jobs/{id}`). Failure contract: any [`IonqError`] of a
    /// request; [`IonqError::NotFound`] for an unknown id.
    pub fn status(&self, id: &JobId) -> Result<JobStatus, IonqError> {
        let reply = self.request(Method::Get, &format!("/jobs/{id}"), &format!("job {id}"))?;
        job::parse_status(&parse_json(&reply)?)
    }

    /// A completed single-circuit job's probabilities (`GET /jobs/{id}/results/probabilities`).
    /// Failure contract: any [`IonqError`] of a request; [`IonqError::Malformed`] unless the reply
    /// is a map from decimal outcomes to probabilities.
    pub fn results(&self, id: &JobId) -> Result<Probabilities, IonqError> {
        job::parse_probabilities(&self.probabilities_reply(id)?)
    }

    /// A completed multi-circuit job's probabilities by child job id. Failure contract: as
    /// [`IonqClient::results`], with a map of such maps.
    pub fn results_by_child(&self, id: &JobId) -> Result<HashMap<JobId, Probabilities>, IonqError> {
        job::parse_child_probabilities(&self.probabilities_reply(id)?)
    }

    /// Asks IonQ to cancel the job (`PUT /jobs/{id}/status/cancel`). Failure contract: any
    /// [`IonqError`] of a request.
    pub fn cancel(&self, id: &JobId) -> Result<(), IonqError> {
        self.request(Method::Put, &format!("/jobs/{id}/status/cancel"), &format!("job {id}")).map(drop)
    }

    /// Polls until the job completes and returns its probabilities. Pauses follow the
    /// [`PollPolicy`], lengthened to a 429's `Retry-After`; transient failures (5xx, request
    /// timeouts, broken connections) are retried up to `transient_retries` times in a row.
    /// When `cancel` becomes true the job is cancelled on IonQ's side.
    ///
    /// Failure contract: [`IonqError::Cancelled`] after `cancel` (with `confirmed` false if the
    /// cancel request failed) or if the job was cancelled elsewhere; [`IonqError::Failed`] if it
    /// failed; [`IonqError::Timeout`] if it is still pending after `timeout` (the job keeps
    /// running and can be fetched later); otherwise the first non-transient error.
    pub fn wait(&self, id: &JobId, cancel: &AtomicBool, timeout: Duration) -> Result<Probabilities, IonqError> {
        self.wait_until_completed(id, cancel, timeout)?;
        self.results(id)
    }

    /// [`IonqClient::wait`] without fetching the results (for multi-circuit jobs, followed by
    /// [`IonqClient::results_by_child`]). Failure contract: that of `wait` before the fetch.
    pub fn wait_until_completed(&self, id: &JobId, cancel: &AtomicBool, timeout: Duration) -> Result<(), IonqError> {
        let deadline = Instant::now() + timeout;
        let mut pause = self.poll.initial;
        let mut transient = 0;
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(self.cancel_after_interrupt(id));
            }
            let sleep = match self.status(id) {
                Ok(JobStatus::Completed) => return Ok(()),
                Ok(JobStatus::Failed { reason }) => return Err(IonqError::Failed { reason }),
                Ok(JobStatus::Canceled) => return Err(IonqError::Cancelled { job: id.to_string(), confirmed: true }),
                Ok(_) => {
                    transient = 0;
                    pause
                }
                Err(IonqError::RateLimited { retry_after }) => retry_after.map_or(pause, |wait| wait.max(pause)),
                Err(error @ (IonqError::Server { .. } | IonqError::Timeout { .. } | IonqError::Connection { .. })) => {
                    transient += 1;
                    if transient > self.poll.transient_retries {
                        return Err(error);
                    }
                    pause
                }
                Err(error) => return Err(error),
            };
            pause = self.poll.next(pause);
            // The last poll falls on the deadline, whatever the pause would have been.
            let now = Instant::now();
            if now >= deadline {
                return Err(IonqError::Timeout { waited: timeout });
            }
            if !sleep_unless_cancelled(sleep.min(deadline - now), cancel) {
                return Err(self.cancel_after_interrupt(id));
            }
        }
    }

    fn cancel_after_interrupt(&self, id: &JobId) -> IonqError {
        IonqError::Cancelled { job: id.to_string(), confirmed: self.cancel(id).is_ok() }
    }

    fn probabilities_reply(&self, id: &JobId) -> Result<Value, IonqError> {
        let path = format!("/jobs/{id}/results/probabilities");
        parse_json(&self.request(Method::Get, &path, &format!("results for job {id}"))?)
    }

    /// Sends one request and returns the body of a 2xx reply; `what` names the resource in a
    /// 404 message.
    fn request(&self, method: Method, path: &str, what: &str) -> Result<String, IonqError> {
        let url = format!("{}{path}", self.root);
        let auth = format!("apiKey {}", self.key);
        let sent = match method {
            Method::Get => {
                self.agent.get(&url).header("Authorization", &auth).header("Accept", "application/json").call()
            }
            Method::Post(body) => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Accept", "application/json")
                .content_type("application/json")
                .send(&body),
            Method::Put => self.agent.put(&url).header("Authorization", &auth).send_empty(),
        };
        let mut response = sent.map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.body_mut().read_to_string().map_err(|e| self.transport_error(e))?;
        match status {
            200..=299 => Ok(body),
            401 | 403 => Err(IonqError::Unauthorized { status, detail: self.server_message(&body) }),
            404 => Err(IonqError::NotFound { what: what.to_string() }),
            429 => Err(IonqError::RateLimited { retry_after }),
            400..=499 => Err(IonqError::Rejected { status, detail: self.server_message(&body) }),
            _ => Err(IonqError::Server { status }),
        }
    }

    fn transport_error(&self, error: ureq::Error) -> IonqError {
        match error {
            ureq::Error::Timeout(_) => IonqError::Timeout { waited: self.request_timeout },
            ureq::Error::Io(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
                IonqError::Timeout { waited: self.request_timeout }
            }
            other => IonqError::Connection { detail: self.scrub(&other.to_string()) },
        }
    }

    /// IonQ's explanation in an error body (`message` or `error`), else the body's start.
    fn server_message(&self, body: &str) -> String {
        let parsed: Option<Value> = serde_json::from_str(body).ok();
        let field = |name| parsed.as_ref().and_then(|v| v.get(name)).and_then(Value::as_str).map(str::to_string);
        let message = field("message").or_else(|| field("error")).unwrap_or_else(|| body.chars().take(200).collect());
        self.scrub(if message.trim().is_empty() { "no explanation given" } else { &message })
    }

    /// `text` with every occurrence of the key masked.
    fn scrub(&self, text: &str) -> String {
        if self.key.is_empty() {
            text.to_string()
        } else {
            text.replace(&self.key, "<redacted>")
        }
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(false).build().into()
}

fn parse_json(body: &str) -> Result<Value, IonqError> {
    serde_json::from_str(body).map_err(|e| IonqError::Malformed { detail: format!("invalid JSON ({e})") })
}

/// Sleeps `total` in short slices; false as soon as `cancel` is set.
fn sleep_unless_cancelled(total: Duration, cancel: &AtomicBool) -> bool {
    let end = Instant::now() + total;
    loop {
        if cancel.load(Ordering::SeqCst) {
            return false;
        }
        let now = Instant::now();
        if now >= end {
            return true;
        }
        thread::sleep((end - now).min(CANCEL_CHECK));
    }
}
