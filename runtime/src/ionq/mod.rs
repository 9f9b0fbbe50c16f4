//! A blocking client for IonQ's REST API v0.4: submit a job body (written by
//! [`crate::native::emit::ionq_json`]), poll it with capped exponential backoff, fetch its
//! probabilities, and cancel it when the researcher interrupts the run.
//!
//! Endpoints, relative to the API root (`https://api.ionq.co/v0.4`, [`IONQ_API_ROOT`]):
//! `POST /jobs`, `GET /jobs/{id}`, `GET /jobs/{id}/results/probabilities` and
//! `PUT /jobs/{id}/status/cancel`, authenticated by the header `Authorization: apiKey KEY`.
//!
//! Secrets: qdf takes the API key only from the environment variable `IONQ_API_KEY`
//! ([`IonqClient::from_env`]); it appears in no `Debug` or `Display` output, no error and no log
//! line, and server messages that happen to echo it are scrubbed before they reach an error. (ureq
//! logs only allow-listed headers below its wire-level `TRACE`, and qdf installs no logger that
//! would enable that.)
//!
//! Failure contract: every fallible call returns an [`IonqError`]; nothing here panics on any
//! reply a server can send.

mod backoff;
mod client;
mod error;
mod job;

pub use backoff::PollPolicy;
pub use client::{IonqClient, IONQ_API_ROOT};
pub use error::IonqError;
pub use job::{JobId, JobStatus, Probabilities};
