//! The errors of the IonQ client, each worded for the researcher who started the run.

use std::fmt;
use std::time::Duration;

/// Why a call to IonQ did not give the expected answer.
#[derive(Clone, Debug, PartialEq)]
pub enum IonqError {
    /// `IONQ_API_KEY` is not set (or is empty / not Unicode).
    MissingKey,
    /// HTTP 401 or 403: the key was refused or lacks access to the resource.
    Unauthorized { status: u16, detail: String },
    /// HTTP 404: no such job (or endpoint) for this key.
    NotFound { what: String },
    /// HTTP 429, with the server's `Retry-After` when it sent one in seconds.
    RateLimited { retry_after: Option<Duration> },
    /// Another 4xx: the request itself was rejected (for example an invalid job body).
    Rejected { status: u16, detail: String },
    /// HTTP 5xx.
    Server { status: u16 },
    /// No answer within the allowed time (one request, or the whole wait for a job).
    Timeout { waited: Duration },
    /// The connection could not be made or broke off.
    Connection { detail: String },
    /// A 2xx reply that is not what the API documents.
    Malformed { detail: String },
    /// The wait was interrupted, or the job was cancelled; `confirmed` says whether IonQ
    /// acknowledged the cancellation (otherwise the job may still run and be billed).
    Cancelled { job: String, confirmed: bool },
    /// The job ended in the `failed` state.
    Failed { reason: String },
}

impl fmt::Display for IonqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IonqError::MissingKey => {
                write!(
                    f,
                    "no IonQ API key: set the environment variable IONQ_API_KEY (keys are made at cloud.ionq.com)"
                )
            }
            IonqError::Unauthorized { status, detail } => {
                write!(
                    f,
                    "IonQ refused the API key (HTTP {status}): {detail}; check IONQ_API_KEY and its project access"
                )
            }
            IonqError::NotFound { what } => write!(f, "IonQ has no {what} (HTTP 404)"),
            IonqError::RateLimited { retry_after: Some(wait) } => {
                write!(f, "IonQ is rate-limiting requests (HTTP 429); retry after {} s", wait.as_secs())
            }
            IonqError::RateLimited { retry_after: None } => {
                write!(f, "IonQ is rate-limiting requests (HTTP 429); retry later")
            }
            IonqError::Rejected { status, detail } => write!(f, "IonQ rejected the request (HTTP {status}): {detail}"),
            IonqError::Server { status } => {
                write!(f, "IonQ's server failed (HTTP {status}); the service may be down, try again later")
            }
            IonqError::Timeout { waited } => write!(f, "no answer from IonQ within {:.1} s", waited.as_secs_f64()),
            IonqError::Connection { detail } => write!(f, "could not reach IonQ: {detail}"),
            IonqError::Malformed { detail } => write!(f, "IonQ sent a reply this client cannot read: {detail}"),
            IonqError::Cancelled { job, confirmed: true } => write!(f, "IonQ job {job} was cancelled"),
            IonqError::Cancelled { job, confirmed: false } => write!(
                f,
                "stopped waiting for IonQ job {job}, but IonQ did not confirm its cancellation: it may still run"
            ),
            IonqError::Failed { reason } => write!(f, "the IonQ job failed: {reason}"),
        }
    }
}

impl std::error::Error for IonqError {}
