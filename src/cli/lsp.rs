//! `qdf lsp`: the language server, over stdio.
//!
//! A rust-analyzer-style main loop on lsp-server's message types: one thread reads messages and
//! dispatches them; the editor features (crate `qdf-ide`) do the work. Diagnostics are computed
//! by a worker thread, which always takes the latest version of each changed document, so a
//! 2000-line spec is checked while the main loop keeps answering; requests that need the checker
//! (hover, definition, references, rename) run on threads of their own, requests that need only
//! the syntax tree (completion, symbols, semantic tokens, formatting) are answered in the loop.
//!
//! The server never dies of a client's mistake: a body that is not JSON or not a message gets a
//! JSON-RPC error (see `transport`), an unknown method `MethodNotFound`, parameters of the wrong
//! shape `InvalidParams`, a request before `initialize` `ServerNotInitialized`, one after
//! `shutdown` `InvalidRequest`, and a panic inside a handler `InternalError`. Only `exit` (or the
//! end of stdin) stops it: exit status 0 after `shutdown`, 1 otherwise, as LSP asks.
//!
//! Positions are UTF-16 (LSP's default); documents sync incrementally.

mod convert;
mod documents;
mod handlers;
mod position;
mod transport;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};
use std::thread;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response, ResponseError};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, PrepareRenameRequest, References,
    Rename, Request as _, SemanticTokensFullRequest,
};
use lsp_types::{
    CompletionOptions, HoverProviderCapability, InitializeResult, OneOf, PublishDiagnosticsParams, RenameOptions,
    SemanticTokensFullOptions, SemanticTokensOptions, SemanticTokensServerCapabilities, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri, WorkDoneProgressOptions,
};
use qdf_ide::Analysis;
use serde::de::DeserializeOwned;
use serde::Serialize;

use self::documents::{Document, Documents, Snapshot};
use self::handlers::error;
use super::{CliError, Outcome};

/// Runs the server until the client sends `exit` or closes stdin. Failure contract: never fails;
/// the outcome is `Clean` after an orderly `shutdown`, `SpecErrors` (exit status 1) otherwise.
pub fn run() -> Result<Outcome, CliError> {
    let connection = transport::stdio();
    let sender = connection.sender.clone();
    let outbox = Outbox(Arc::new(move |message| {
        // The writer thread ends only when stdout is gone; there is no one left to tell then.
        let _ = sender.send(message);
    }));
    let mut server = Server::new(outbox);
    let mut orderly = false;
    for message in &connection.receiver {
        match server.handle(message) {
            Flow::Continue => {}
            Flow::Exit => {
                orderly = server.phase == Phase::ShutDown;
                break;
            }
        }
    }
    Ok(if orderly { Outcome::Clean } else { Outcome::SpecErrors })
}

/// Where the server is in LSP's lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

enum Flow {
    Continue,
    Exit,
}

/// The open documents, shared by the main loop, the diagnostics worker and request threads.
#[derive(Clone, Debug, Default)]
pub struct World {
    documents: Arc<Mutex<Documents>>,
}

impl World {
    /// The table; a thread that panicked while holding it cannot have left it half-changed (every
    /// change is one assignment), so a poisoned lock is taken over.
    fn documents(&self) -> MutexGuard<'_, Documents> {
        self.documents.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The document at `uri` as it is now. Failure contract: `InvalidParams` when it is not open.
    pub fn snapshot(&self, uri: &Uri) -> Result<Snapshot, ResponseError> {
        self.documents()
            .get(uri)
            .map(|d| d.snapshot(uri))
            .ok_or_else(|| error(ErrorCode::InvalidParams, format!("the document {} is not open", uri.as_str())))
    }

    /// Keeps `analysis` for the document if it is still at the snapshot's version; says whether it
    /// was.
    pub fn store(&self, snapshot: &Snapshot, analysis: &Arc<Analysis>) -> bool {
        let mut documents = self.documents();
        match documents.get_mut(&snapshot.uri) {
            Some(document) if document.version == snapshot.version => {
                document.analysis = Some(Arc::clone(analysis));
                true
            }
            _ => false,
        }
    }
}

/// Where messages to the client go; any thread may send.
#[derive(Clone)]
struct Outbox(Arc<dyn Fn(Message) + Send + Sync>);

impl Outbox {
    fn send(&self, message: impl Into<Message>) {
        (self.0)(message.into());
    }
}

struct Server {
    outbox: Outbox,
    phase: Phase,
    world: World,
    /// Documents whose diagnostics are due, for the worker.
    changed: mpsc::Sender<Uri>,
}

impl Server {
    fn new(outbox: Outbox) -> Self {
        let world = World::default();
        let changed = diagnostics_worker(world.clone(), outbox.clone());
        Server { outbox, phase: Phase::Uninitialized, world, changed }
    }

    fn send(&self, message: impl Into<Message>) {
        self.outbox.send(message);
    }

    fn reply_error(&self, id: RequestId, error: ResponseError) {
        self.send(failed(id, error));
    }

    fn handle(&mut self, message: Message) -> Flow {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) if notification.method == "exit" => return Flow::Exit,
            Message::Notification(notification) => self.notification(notification),
            // The server sends no requests, so no response is awaited.
            Message::Response(_) => {}
        }
        Flow::Continue
    }

    fn request(&mut self, request: Request) {
        match (self.phase, request.method.as_str()) {
            (Phase::Uninitialized, "initialize") => {
                self.phase = Phase::Running;
                self.send(Response::new_ok(request.id, initialize_result()));
            }
            (Phase::Uninitialized, _) => self.reply_error(
                request.id,
                error(ErrorCode::ServerNotInitialized, "the server is not initialized: send `initialize` first"),
            ),
            (Phase::ShutDown, _) => {
                self.reply_error(request.id, error(ErrorCode::InvalidRequest, "the server is shutting down"))
            }
            (Phase::Running, "initialize") => {
                self.reply_error(request.id, error(ErrorCode::InvalidRequest, "the server is already initialized"))
            }
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                self.send(Response::new_ok(request.id, ()));
            }
            (Phase::Running, _) => self.dispatch(request),
        }
    }

    fn dispatch(&self, request: Request) {
        match request.method.as_str() {
            HoverRequest::METHOD => self.on_thread::<HoverRequest>(request, handlers::hover),
            GotoDefinition::METHOD => self.on_thread::<GotoDefinition>(request, handlers::definition),
            References::METHOD => self.on_thread::<References>(request, handlers::references),
            PrepareRenameRequest::METHOD => self.on_thread::<PrepareRenameRequest>(request, handlers::prepare_rename),
            Rename::METHOD => self.on_thread::<Rename>(request, handlers::rename),
            Completion::METHOD => self.in_loop::<Completion>(request, handlers::completion),
            DocumentSymbolRequest::METHOD => self.in_loop::<DocumentSymbolRequest>(request, handlers::document_symbols),
            Formatting::METHOD => self.in_loop::<Formatting>(request, handlers::formatting),
            SemanticTokensFullRequest::METHOD => {
                self.in_loop::<SemanticTokensFullRequest>(request, handlers::semantic_tokens)
            }
            method => self.reply_error(
                request.id,
                error(ErrorCode::MethodNotFound, format!("qdf lsp does not implement `{method}`")),
            ),
        }
    }

    /// Answers a request in the main loop.
    fn in_loop<R: lsp_types::request::Request>(&self, request: Request, handler: Handler<R>) {
        self.send(answer::<R>(&self.world, request, handler));
    }

    /// Answers a request on a thread of its own, so a checker run does not hold up the loop.
    fn on_thread<R>(&self, request: Request, handler: Handler<R>)
    where
        R: lsp_types::request::Request,
        R::Params: Send,
    {
        let (world, outbox) = (self.world.clone(), self.outbox.clone());
        let id = request.id.clone();
        let spawned = thread::Builder::new().name(format!("lsp-{}", R::METHOD)).spawn(move || {
            outbox.send(answer::<R>(&world, request, handler));
        });
        if let Err(e) = spawned {
            self.reply_error(id, error(ErrorCode::InternalError, format!("cannot start a thread: {e}")));
        }
    }

    fn notification(&mut self, notification: Notification) {
        if self.phase != Phase::Running {
            return;
        }
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(params) = params::<DidOpenTextDocument>(notification) {
                    let document = params.text_document;
                    self.world.documents().insert(document.uri.clone(), Document::new(document.text, document.version));
                    let _ = self.changed.send(document.uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(params) = params::<DidChangeTextDocument>(notification) {
                    let uri = params.text_document.uri;
                    let mut documents = self.world.documents();
                    if let Some(document) = documents.get_mut(&uri) {
                        document.apply(params.content_changes, params.text_document.version);
                        drop(documents);
                        let _ = self.changed.send(uri);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(params) = params::<DidCloseTextDocument>(notification) {
                    let uri = params.text_document.uri;
                    self.world.documents().remove(&uri);
                    self.send(publish(uri, Vec::new(), None));
                }
            }
            // Everything else (`initialized`, `didSave`, `$/cancelRequest`, settings) needs no
            // action: diagnostics follow every change, and requests are answered quickly.
            _ => {}
        }
    }
}

type Handler<R> = fn(
    &World,
    <R as lsp_types::request::Request>::Params,
) -> Result<<R as lsp_types::request::Request>::Result, ResponseError>;

/// The response to `request`: the handler's result, `InvalidParams` when the parameters do not
/// fit the method, `InternalError` when the handler panicked (a bug, reported to the client
/// rather than ending the server).
fn answer<R: lsp_types::request::Request>(world: &World, request: Request, handler: Handler<R>) -> Response {
    let id = request.id.clone();
    let params = match serde_json::from_value::<R::Params>(request.params) {
        Ok(params) => params,
        Err(e) => {
            let message = format!("invalid parameters for `{}`: {e}", R::METHOD);
            return failed(id, error(ErrorCode::InvalidParams, message));
        }
    };
    match catch_unwind(AssertUnwindSafe(|| handler(world, params))) {
        Ok(Ok(result)) => ok(id, &result),
        Ok(Err(e)) => failed(id, e),
        Err(_) => {
            failed(id, error(ErrorCode::InternalError, format!("qdf lsp failed on `{}`: this is a bug", R::METHOD)))
        }
    }
}

fn ok(id: RequestId, result: &impl Serialize) -> Response {
    match serde_json::to_value(result) {
        Ok(value) => Response { id, response_result: Ok(value) },
        Err(e) => failed(id, error(ErrorCode::InternalError, e.to_string())),
    }
}

fn failed(id: RequestId, error: ResponseError) -> Response {
    Response { id, response_result: Err(error) }
}

/// A notification's parameters; a notification with the wrong shape is ignored, since LSP allows
/// no reply to a notification.
fn params<N: lsp_types::notification::Notification>(notification: Notification) -> Option<N::Params>
where
    N::Params: DeserializeOwned,
{
    serde_json::from_value(notification.params).ok()
}

fn publish(uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Notification {
    Notification::new(PublishDiagnostics::METHOD.to_string(), PublishDiagnosticsParams { uri, diagnostics, version })
}

/// Runs the shot planner for a checked document on a thread of its own (it solves SCFs, so the
/// worker does not wait for it) and, if it finds something and the document is still at the
/// planned version, publishes the checker's diagnostics with the planner's added.
fn plan_shots(
    world: &World,
    outbox: &Outbox,
    uri: Uri,
    snapshot: Snapshot,
    analysis: Arc<Analysis>,
    checked: Vec<lsp_types::Diagnostic>,
) {
    let measured = analysis.compilation().spec.generates.iter().any(|g| g.shots.is_some() || g.precision.is_some());
    if !measured {
        return;
    }
    let (world, outbox) = (world.clone(), outbox.clone());
    let spawned = thread::Builder::new().name("lsp-shots".into()).spawn(move || {
        let Ok(found) = catch_unwind(AssertUnwindSafe(|| handlers::shot_diagnostics(&snapshot, &analysis, &uri)))
        else {
            eprintln!("qdf lsp: planning the shots of {} failed: this is a bug", uri.as_str());
            return;
        };
        if found.is_empty() {
            return;
        }
        let documents = world.documents();
        if documents.get(&uri).is_some_and(|d| d.version == snapshot.version) {
            let mut all = checked;
            all.extend(found);
            outbox.send(publish(uri, all, Some(snapshot.version)));
        }
    });
    if let Err(e) = spawned {
        eprintln!("qdf lsp: cannot start a planning thread ({e}); shot checks are off");
    }
}

/// Starts the thread that checks changed documents and publishes their diagnostics. It takes all
/// pending changes at once and checks each document once, at its latest version; a result is
/// published only if the document has not changed meanwhile (a newer check is then due).
fn diagnostics_worker(world: World, outbox: Outbox) -> mpsc::Sender<Uri> {
    let (changed, receive) = mpsc::channel::<Uri>();
    let spawned = thread::Builder::new().name("lsp-diagnostics".into()).spawn(move || {
        while let Ok(first) = receive.recv() {
            let mut due = vec![first];
            for uri in receive.try_iter() {
                if !due.contains(&uri) {
                    due.push(uri);
                }
            }
            for uri in due {
                let Ok(snapshot) = world.snapshot(&uri) else { continue };
                let Ok(analysis) = catch_unwind(AssertUnwindSafe(|| snapshot.analysis())) else {
                    eprintln!("qdf lsp: checking {} failed: this is a bug", uri.as_str());
                    continue;
                };
                let diagnostics = handlers::diagnostics(&snapshot, &analysis, &uri);
                // Published while the table is held, so a close or a change cannot slip between
                // the version check and the notification.
                let documents = world.documents();
                if documents.get(&uri).is_some_and(|d| d.version == snapshot.version) {
                    outbox.send(publish(uri.clone(), diagnostics.clone(), Some(snapshot.version)));
                    drop(documents);
                    world.store(&snapshot, &analysis);
                    plan_shots(&world, &outbox, uri, snapshot, analysis, diagnostics);
                }
            }
        }
    });
    if let Err(e) = spawned {
        eprintln!("qdf lsp: cannot start the diagnostics thread ({e}); diagnostics are off");
    }
    changed
}

fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![".".into(), "\"".into()]),
                ..CompletionOptions::default()
            }),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })),
            document_symbol_provider: Some(OneOf::Left(true)),
            document_formatting_provider: Some(OneOf::Left(true)),
            semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
                SemanticTokensOptions {
                    legend: convert::token_legend(),
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                },
            )),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo { name: "qdf".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
    }
}
