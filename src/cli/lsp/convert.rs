//! The editor features' plain types as LSP types: byte ranges become UTF-16 positions.

use lsp_types::{
    CompletionItemKind, CompletionTextEdit, DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol,
    Documentation, Location, MarkupContent, MarkupKind, NumberOrString, SemanticTokenModifier, SemanticTokenType,
    SemanticTokens, SemanticTokensLegend, SymbolKind, TextEdit, Uri,
};
use qdf_compiler::check::schema::DeclKind;
use qdf_ide::{CompletionKind, TokenKind};

use super::position::LineIndex;

/// A document's text with its line index, for converting ranges.
pub struct Text<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
}

impl Text<'_> {
    pub fn range(&self, range: std::ops::Range<usize>) -> lsp_types::Range {
        self.index.range(self.text, range)
    }
}

/// A diagnostic as `qdf check` prints it: the message, then the help line; labels in the document
/// become related information, labels elsewhere (stdlib modules) are named in the message.
pub fn diagnostic(uri: &Uri, text: &Text<'_>, d: &qdf_ide::Diagnostic) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(primary) = &d.primary_message {
        message.push_str(&format!("\n{primary}"));
    }
    let mut related = Vec::new();
    for label in &d.labels {
        match &label.range {
            Some(range) => related.push(DiagnosticRelatedInformation {
                location: Location { uri: uri.clone(), range: text.range(range.clone()) },
                message: label.message.clone(),
            }),
            None => message.push_str(&format!("\n{}: {}", label.location, label.message)),
        }
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    lsp_types::Diagnostic {
        range: text.range(d.range.clone()),
        severity: Some(match d.severity {
            qdf_ide::Severity::Error => DiagnosticSeverity::ERROR,
            qdf_ide::Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("qdf".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}

pub fn markdown(value: String) -> MarkupContent {
    MarkupContent { kind: MarkupKind::Markdown, value }
}

pub fn completion(text: &Text<'_>, item: qdf_ide::CompletionItem) -> lsp_types::CompletionItem {
    let kind = match item.kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Field => CompletionItemKind::FIELD,
        CompletionKind::Declaration => CompletionItemKind::REFERENCE,
        CompletionKind::Module => CompletionItemKind::MODULE,
        CompletionKind::Word => CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Unit => CompletionItemKind::UNIT,
        CompletionKind::Element => CompletionItemKind::CONSTANT,
        CompletionKind::Function => CompletionItemKind::FUNCTION,
        CompletionKind::BasisSet => CompletionItemKind::VALUE,
        CompletionKind::ScanVariable => CompletionItemKind::VARIABLE,
    };
    lsp_types::CompletionItem {
        kind: Some(kind),
        detail: Some(item.detail),
        documentation: item.documentation.map(|d| Documentation::MarkupContent(markdown(d))),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: text.range(item.replace_range),
            new_text: item.insert_text,
        })),
        label: item.label,
        ..lsp_types::CompletionItem::default()
    }
}

pub fn text_edit(text: &Text<'_>, edit: qdf_ide::TextEdit) -> TextEdit {
    TextEdit { range: text.range(edit.range), new_text: edit.new_text }
}

pub fn symbol(text: &Text<'_>, symbol: qdf_ide::Symbol) -> DocumentSymbol {
    let kind = match symbol.kind {
        qdf_ide::SymbolKind::Import => SymbolKind::MODULE,
        qdf_ide::SymbolKind::Field => SymbolKind::FIELD,
        qdf_ide::SymbolKind::Scan => SymbolKind::VARIABLE,
        qdf_ide::SymbolKind::Declaration(kind) => match kind {
            DeclKind::Experiment => SymbolKind::NAMESPACE,
            DeclKind::Molecule | DeclKind::MoleculeSet => SymbolKind::STRUCT,
            DeclKind::Device | DeclKind::Noise => SymbolKind::OBJECT,
            DeclKind::Mapping | DeclKind::Ansatz | DeclKind::ActiveSpace => SymbolKind::CLASS,
            DeclKind::Generate | DeclKind::Train | DeclKind::Compare => SymbolKind::FUNCTION,
            DeclKind::Model => SymbolKind::INTERFACE,
        },
    };
    let children: Vec<DocumentSymbol> = symbol.children.into_iter().map(|c| self::symbol(text, c)).collect();
    #[allow(deprecated)]
    DocumentSymbol {
        name: symbol.name,
        detail: (!symbol.detail.is_empty()).then_some(symbol.detail),
        kind,
        tags: None,
        deprecated: None,
        range: text.range(symbol.range),
        selection_range: text.range(symbol.selection_range),
        children: (!children.is_empty()).then_some(children),
    }
}

/// The token types in the order the legend lists them; a token's type is its index here.
const TOKEN_TYPES: [SemanticTokenType; 12] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::TYPE,
    SemanticTokenType::CLASS,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::NUMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::COMMENT,
];
const DECLARATION_MODIFIER: u32 = 1;

/// The legend the server announces: [`TOKEN_TYPES`] and one modifier, `declaration`.
pub fn token_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// The legend index and modifier bits of a token kind.
fn token_type(kind: TokenKind) -> (u32, u32) {
    match kind {
        TokenKind::Keyword => (0, 0),
        TokenKind::Declaration => (1, DECLARATION_MODIFIER),
        TokenKind::Reference => (1, 0),
        TokenKind::Field => (2, 0),
        TokenKind::ScanVariable | TokenKind::Argument => (3, 0),
        TokenKind::Module => (4, 0),
        TokenKind::Function => (5, 0),
        TokenKind::Unit => (6, 0),
        TokenKind::Element => (7, 0),
        TokenKind::Word => (8, 0),
        TokenKind::Number => (9, 0),
        TokenKind::String => (10, 0),
        TokenKind::Comment => (11, 0),
    }
}

/// Semantic tokens in LSP's relative encoding: each token's line and start relative to the
/// previous token, lengths in UTF-16 units.
pub fn semantic_tokens(text: &Text<'_>, tokens: Vec<qdf_ide::SemanticToken>) -> SemanticTokens {
    let mut data = Vec::with_capacity(tokens.len());
    let (mut line, mut start) = (0, 0);
    for token in tokens {
        let range = text.range(token.range);
        let length = if range.start.line == range.end.line { range.end.character - range.start.character } else { 0 };
        let (token_type, token_modifiers_bitset) = token_type(token.kind);
        let delta_line = range.start.line - line;
        let delta_start = if delta_line == 0 { range.start.character - start } else { range.start.character };
        data.push(lsp_types::SemanticToken { delta_line, delta_start, length, token_type, token_modifiers_bitset });
        line = range.start.line;
        start = range.start.character;
    }
    SemanticTokens { result_id: None, data }
}
