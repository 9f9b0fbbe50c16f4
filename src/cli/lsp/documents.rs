//! The open documents: their text, kept in step with the editor's incremental changes, and the
//! latest analysis of each.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use lsp_types::{TextDocumentContentChangeEvent, Uri};
use qdf_compiler::NoFiles;
use qdf_ide::Analysis;

use super::position::LineIndex;
use crate::cli::loader::DiskLoader;

/// One open document.
#[derive(Debug)]
pub struct Document {
    pub text: Arc<str>,
    pub version: i32,
    pub index: Arc<LineIndex>,
    /// The analysis of `text` at `version`, once computed.
    pub analysis: Option<Arc<Analysis>>,
}

impl Document {
    pub fn new(text: String, version: i32) -> Self {
        let index = Arc::new(LineIndex::new(&text));
        Document { text: text.into(), version, index, analysis: None }
    }

    /// Applies the editor's changes in order: a change with a range replaces that range of the
    /// text as it is after the changes before it; one without replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        let mut text = self.text.to_string();
        let mut index = LineIndex::new(&text);
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = index.offset(&text, range.start);
                    let end = index.offset(&text, range.end).max(start);
                    text.replace_range(start..end, &change.text);
                }
                None => text = change.text,
            }
            index = LineIndex::new(&text);
        }
        self.text = text.into();
        self.index = Arc::new(index);
        self.version = version;
        self.analysis = None;
    }

    /// What a worker needs to analyse the document without holding the table.
    pub fn snapshot(&self, uri: &Uri) -> Snapshot {
        Snapshot {
            uri: uri.clone(),
            text: Arc::clone(&self.text),
            version: self.version,
            index: Arc::clone(&self.index),
            analysis: self.analysis.clone(),
        }
    }
}

/// A document as it was at one version.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub uri: Uri,
    pub text: Arc<str>,
    pub version: i32,
    pub index: Arc<LineIndex>,
    pub analysis: Option<Arc<Analysis>>,
}

impl Snapshot {
    /// The analysis of this version, computed now if no worker has yet. The spec is compiled as
    /// `qdf check` compiles the file at the document's path, reading the files it names from
    /// beside it; a document that is no file on disk can name none.
    pub fn analysis(&self) -> Arc<Analysis> {
        if let Some(analysis) = &self.analysis {
            return Arc::clone(analysis);
        }
        Arc::new(match file_path(&self.uri) {
            Some(path) => Analysis::new(&path.display().to_string(), &self.text, &DiskLoader::for_spec(&path)),
            None => Analysis::new(self.uri.as_str(), &self.text, &NoFiles),
        })
    }
}

/// The open documents by URI.
pub type Documents = HashMap<Uri, Document>;

/// The local path of a `file:` URI, percent-decoded; `None` for other schemes.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().is_some_and(|s| s.as_str().eq_ignore_ascii_case("file")) {
        return None;
    }
    let path = uri.path().as_estr().decode().into_string().ok()?;
    Some(PathBuf::from(path.as_ref()))
}
