//! Jobs as IonQ describes them: identifiers, states and probability results, read from reply
//! bodies with every documented field checked.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use super::error::IonqError;

/// Measured probabilities by outcome: outcome `k` has qubit `q` in bit `q` of `k` (IonQ's
/// convention and this crate's).
pub type Probabilities = HashMap<u64, f64>;

/// A job identifier as IonQ issues it (a UUID); only letters, digits and `-` are accepted, so an
/// identifier can always be placed in a URL path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JobId(String);

impl JobId {
    /// Checks `id`. Failure contract: [`IonqError::Malformed`] if it is empty, longer than 64
    /// characters or holds anything but ASCII letters, digits and `-`.
    pub fn parse(id: &str) -> Result<JobId, IonqError> {
        let valid = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if valid {
            Ok(JobId(id.to_string()))
        } else {
            Err(IonqError::Malformed { detail: format!("{id:?} is not a job id") })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A job's state (`ready`, `submitted`, `running`, `completed`, `canceled`, `failed`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobStatus {
    Ready,
    Submitted,
    Running,
    Completed,
    Canceled,
    /// With IonQ's explanation (`failure.error`, else `failure.code`).
    Failed {
        reason: String,
    },
}

impl JobStatus {
    /// Whether the job can still change state.
    pub fn is_pending(&self) -> bool {
        matches!(self, JobStatus::Ready | JobStatus::Submitted | JobStatus::Running)
    }
}

/// The `id` of a job reply (`POST /jobs`). Failure contract: [`IonqError::Malformed`] without a
/// valid string `id`.
pub(crate) fn parse_job_id(reply: &Value) -> Result<JobId, IonqError> {
    match reply.get("id") {
        Some(Value::String(id)) => JobId::parse(id),
        _ => Err(IonqError::Malformed { detail: "the job reply has no \"id\"".into() }),
    }
}

/// The state of a job reply (`GET /jobs/{id}`). Failure contract: [`IonqError::Malformed`]
/// without a known string `status`.
pub(crate) fn parse_status(reply: &Value) -> Result<JobStatus, IonqError> {
    let status = reply.get("status").and_then(Value::as_str);
    Ok(match status {
        Some("ready") => JobStatus::Ready,
        Some("submitted") => JobStatus::Submitted,
        Some("running") => JobStatus::Running,
        Some("completed") => JobStatus::Completed,
        Some("canceled") => JobStatus::Canceled,
        Some("failed") => JobStatus::Failed { reason: failure_reason(reply) },
        Some(other) => return Err(IonqError::Malformed { detail: format!("unknown job status {other:?}") }),
        None => return Err(IonqError::Malformed { detail: "the job reply has no \"status\"".into() }),
    })
}

fn failure_reason(reply: &Value) -> String {
    let failure = reply.get("failure");
    let field = |name| failure.and_then(|f| f.get(name)).and_then(Value::as_str);
    match (field("error"), field("code")) {
        (Some(error), Some(code)) => format!("{error} ({code})"),
        (Some(text), None) | (None, Some(text)) => text.to_string(),
        (None, None) => "IonQ gave no reason".to_string(),
    }
}

/// A flat probability map (`{"0": 0.5, "3": 0.5}`). Failure contract: [`IonqError::Malformed`]
/// unless every key is a decimal outcome and every value a probability in [0, 1].
pub(crate) fn parse_probabilities(reply: &Value) -> Result<Probabilities, IonqError> {
    let malformed = |detail: String| IonqError::Malformed { detail };
    let entries = reply.as_object().ok_or_else(|| malformed("the probabilities are not a JSON object".into()))?;
    entries
        .iter()
        .map(|(key, value)| {
            let outcome = key.parse::<u64>().map_err(|_| malformed(format!("{key:?} is not an outcome")))?;
            match value.as_f64() {
                Some(p) if (0.0..=1.0).contains(&p) => Ok((outcome, p)),
                _ => Err(malformed(format!("outcome {key} has probability {value}, not a number in [0, 1]"))),
            }
        })
        .collect()
}

/// The probabilities of a multi-circuit job, by child job id. Failure contract:
/// [`IonqError::Malformed`] unless the reply is an object of flat probability maps.
pub(crate) fn parse_child_probabilities(reply: &Value) -> Result<HashMap<JobId, Probabilities>, IonqError> {
    let entries = reply
        .as_object()
        .ok_or_else(|| IonqError::Malformed { detail: "the probabilities are not a JSON object".into() })?;
    entries.iter().map(|(child, value)| Ok((JobId::parse(child)?, parse_probabilities(value)?))).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn failed_jobs_carry_ionq_reason() {
        let reply =
            json!({"id": "a-1", "status": "failed", "failure": {"code": "CompilationError", "error": "bad gate"}});
        assert_eq!(parse_status(&reply), Ok(JobStatus::Failed { reason: "bad gate (CompilationError)".into() }));
    }

    #[test]
    fn probabilities_reject_bad_outcomes_and_values() {
        assert_eq!(parse_probabilities(&json!({"0": 0.25, "3": 0.75})), Ok(HashMap::from([(0, 0.25), (3, 0.75)])));
        assert!(parse_probabilities(&json!({"x": 0.5})).is_err());
        assert!(parse_probabilities(&json!({"1": 1.5})).is_err());
        assert!(parse_probabilities(&json!([0.5])).is_err());
    }

    #[test]
    fn job_ids_must_be_url_safe() {
        assert!(JobId::parse("617a1f8b-59d4-435d-aa33-695433d7155e").is_ok());
        assert!(JobId::parse("../keys").is_err());
        assert!(JobId::parse("").is_err());
    }
}
