//! One function per request: find the document, ask the editor features, convert the answer.
//!
//! Handlers that need the checker (hover, definition, references, rename) use the document's
//! analysis, computing it if the diagnostics worker has not yet; the others need only the
//! syntax tree and answer at once. Failure contract: a request about a document that is not open,
//! or a refused rename, is a [`ResponseError`]; nothing here panics on a client's input.

use std::collections::HashMap;
use std::sync::Arc;

use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{
    CompletionParams, CompletionResponse, DocumentFormattingParams, DocumentSymbolParams, DocumentSymbolResponse,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location, Position,
    PrepareRenameResponse, ReferenceParams, RenameParams, SemanticTokensParams, SemanticTokensResult,
    TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
};
use qdf_ide::Analysis;
use qdf_runtime::planner::{self, plan_experiment, PlanOptions, QuickLimits};

use super::convert::{self, Text};
use super::documents::Snapshot;
use super::World;

/// The error for a request the server cannot answer as asked.
pub fn error(code: ErrorCode, message: impl Into<String>) -> ResponseError {
    ResponseError { code: code as i32, message: message.into(), data: None }
}

fn text(snapshot: &Snapshot) -> Text<'_> {
    Text { text: &snapshot.text, index: &snapshot.index }
}

fn offset(snapshot: &Snapshot, position: Position) -> usize {
    snapshot.index.offset(&snapshot.text, position)
}

/// The document's analysis, kept for later requests when the document has not changed since.
fn analysis(world: &World, snapshot: &Snapshot) -> Arc<Analysis> {
    let analysis = snapshot.analysis();
    world.store(snapshot, &analysis);
    analysis
}

pub fn hover(world: &World, params: HoverParams) -> Result<Option<Hover>, ResponseError> {
    let position = params.text_document_position_params;
    let snapshot = world.snapshot(&position.text_document.uri)?;
    let analysis = analysis(world, &snapshot);
    Ok(analysis.hover(offset(&snapshot, position.position)).map(|hover| Hover {
        contents: HoverContents::Markup(convert::markdown(hover.markdown)),
        range: Some(text(&snapshot).range(hover.range)),
    }))
}

pub fn definition(
    world: &World,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, ResponseError> {
    let position = params.text_document_position_params;
    let snapshot = world.snapshot(&position.text_document.uri)?;
    let analysis = analysis(world, &snapshot);
    // Stdlib modules are compiled into the binary and have no file an editor could open; hover
    // shows their declarations instead.
    let target = analysis.definition(offset(&snapshot, position.position)).filter(|t| t.module.is_none());
    Ok(target.map(|t| {
        GotoDefinitionResponse::Scalar(Location {
            uri: snapshot.uri.clone(),
            range: text(&snapshot).range(t.name_range),
        })
    }))
}

pub fn references(world: &World, params: ReferenceParams) -> Result<Option<Vec<Location>>, ResponseError> {
    let position = params.text_document_position;
    let snapshot = world.snapshot(&position.text_document.uri)?;
    let analysis = analysis(world, &snapshot);
    let ranges = analysis.references(offset(&snapshot, position.position), params.context.include_declaration);
    let text = text(&snapshot);
    Ok(Some(ranges.into_iter().map(|r| Location { uri: snapshot.uri.clone(), range: text.range(r) }).collect()))
}

pub fn prepare_rename(
    world: &World,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, ResponseError> {
    let snapshot = world.snapshot(&params.text_document.uri)?;
    let analysis = analysis(world, &snapshot);
    let range = analysis
        .prepare_rename(offset(&snapshot, params.position))
        .map_err(|e| error(ErrorCode::RequestFailed, e.to_string()))?;
    Ok(Some(PrepareRenameResponse::Range(text(&snapshot).range(range))))
}

pub fn rename(world: &World, params: RenameParams) -> Result<Option<WorkspaceEdit>, ResponseError> {
    let position = params.text_document_position;
    let snapshot = world.snapshot(&position.text_document.uri)?;
    let analysis = analysis(world, &snapshot);
    let edits = analysis
        .rename(offset(&snapshot, position.position), &params.new_name)
        .map_err(|e| error(ErrorCode::RequestFailed, e.to_string()))?;
    let text = text(&snapshot);
    let edits: Vec<TextEdit> = edits.into_iter().map(|e| convert::text_edit(&text, e)).collect();
    Ok(Some(WorkspaceEdit {
        changes: Some(HashMap::from([(snapshot.uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }))
}

pub fn completion(world: &World, params: CompletionParams) -> Result<Option<CompletionResponse>, ResponseError> {
    let position = params.text_document_position;
    let snapshot = world.snapshot(&position.text_document.uri)?;
    let items = qdf_ide::completion(&snapshot.text, offset(&snapshot, position.position));
    let text = text(&snapshot);
    Ok(Some(CompletionResponse::Array(items.into_iter().map(|i| convert::completion(&text, i)).collect())))
}

pub fn document_symbols(
    world: &World,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, ResponseError> {
    let snapshot = world.snapshot(&params.text_document.uri)?;
    let text = text(&snapshot);
    let symbols = qdf_ide::document_symbols(&snapshot.text).into_iter().map(|s| convert::symbol(&text, s)).collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

/// The edits that format the document, or `null` when it has syntax errors (left alone, as
/// `qdf fmt` leaves such files).
pub fn formatting(world: &World, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>, ResponseError> {
    let snapshot = world.snapshot(&params.text_document.uri)?;
    let text = text(&snapshot);
    Ok(qdf_ide::format(&snapshot.text).map(|edits| edits.into_iter().map(|e| convert::text_edit(&text, e)).collect()))
}

pub fn semantic_tokens(
    world: &World,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>, ResponseError> {
    let snapshot = world.snapshot(&params.text_document.uri)?;
    let tokens = qdf_ide::semantic_tokens(&snapshot.text);
    Ok(Some(SemanticTokensResult::Tokens(convert::semantic_tokens(&text(&snapshot), tokens))))
}

/// The shot planner's findings for a document, as `qdf check` adds them: only for generates that
/// measure something and are small enough to plan at once (SCF and qubit Hamiltonian per point),
/// so they arrive a moment after the checker's diagnostics. Empty when there is nothing to plan.
pub fn shot_diagnostics(snapshot: &Snapshot, analysis: &Analysis, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
    let compilation = analysis.compilation();
    let Some(ir) = &compilation.ir else { return Vec::new() };
    let options = PlanOptions { quick: Some(QuickLimits::default()) };
    let Ok(plans) = plan_experiment(ir, &options, &mut |_, _, _| {}) else { return Vec::new() };
    let text = text(snapshot);
    planner::diagnostics(&compilation.spec, &plans)
        .iter()
        .map(|d| convert::diagnostic(uri, &text, &analysis.locate(d)))
        .collect()
}

/// The diagnostics to publish for a document's analysis.
pub fn diagnostics(snapshot: &Snapshot, analysis: &Analysis, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
    let text = text(snapshot);
    analysis.diagnostics().iter().map(|d| convert::diagnostic(uri, &text, d)).collect()
}
