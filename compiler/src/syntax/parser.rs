//! The recursive-descent parser: tokens to a lossless `rowan` tree plus syntax errors.
//!
//! It follows `grammar/qdf.pest` (the test suite checks that the two accept the same files) and
//! never fails: whatever the input, it returns a tree covering every byte and the errors it met.
//! Recovery points are declaration keywords (a declaration keyword, a name and `{` always start a
//! new declaration) and closing braces. Every loop consumes a token or stops, so parsing ends.
//!
//! Naming: `at_*` looks without consuming, `eat` consumes if present, `expect` consumes or reports.

use rowan::{Checkpoint, GreenNode, GreenNodeBuilder};

use super::kind::SyntaxKind::{self, *};
use super::lexer::Token;
use super::SyntaxError;
use crate::diagnostics::Code;

/// Deeper nesting than this is reported instead of recursed into, so hostile input cannot
/// overflow the stack.
const MAX_DEPTH: u32 = 128;

pub(super) struct Parser<'t> {
    tokens: Vec<Token<'t>>,
    /// Index of the next token not yet added to the tree (trivia included).
    pos: usize,
    builder: GreenNodeBuilder<'static>,
    errors: Vec<SyntaxError>,
    depth: u32,
    text_len: usize,
}

impl<'t> Parser<'t> {
    pub(super) fn new(tokens: Vec<Token<'t>>, text_len: usize) -> Self {
        Parser { tokens, pos: 0, builder: GreenNodeBuilder::new(), errors: Vec::new(), depth: 0, text_len }
    }

    pub(super) fn parse_file(mut self) -> (GreenNode, Vec<SyntaxError>) {
        self.builder.start_node(SOURCE_FILE.into());
        loop {
            match self.current() {
                None => break,
                Some(IMPORT_KW) => self.import(),
                Some(k) if k.is_decl_keyword() => self.declaration(),
                Some(_) => self.skip_to_declaration(),
            }
        }
        self.flush_trivia();
        self.builder.finish_node();
        (self.builder.finish(), self.errors)
    }

    // --- Items -------------------------------------------------------------------------------

    /// `import std.targets.ionq [as name]`
    fn import(&mut self) {
        self.start(IMPORT);
        self.bump(); // import
        if self.at_word() {
            self.path();
        } else {
            self.error_here(
                Code::ExpectedName,
                "expected a module path after `import`",
                Some("e.g. `import std.targets.ionq`"),
            );
        }
        if self.eat(AS_KW) && !self.name() {
            self.error_here(Code::ExpectedName, "expected a name after `as`", None);
        }
        self.finish();
    }

    /// `molecule h2 { ... }`
    fn declaration(&mut self) {
        self.start(DECL);
        let keyword = self.current_text();
        self.bump();
        if !self.name() {
            if self.current().is_some_and(SyntaxKind::is_keyword) && self.nth(1) == Some(L_BRACE) {
                let word = self.current_text();
                self.error_here(
                    Code::ExpectedName,
                    format!("`{word}` is a reserved word and cannot name a declaration"),
                    Some("choose another name"),
                );
                self.start(NAME);
                self.bump();
                self.finish();
            } else {
                let example = format!("e.g. `{keyword} my_{keyword} {{ ... }}`");
                self.error_here(Code::ExpectedName, format!("expected a name after `{keyword}`"), Some(&example));
            }
        }
        if self.at(L_BRACE) {
            self.block(BlockKind::Declaration);
        } else {
            self.error_here(Code::ExpectedToken, "expected `{` to open the declaration's body", None);
        }
        self.finish();
    }

    /// Reports and skips tokens until something that can start a top-level item.
    fn skip_to_declaration(&mut self) {
        let what = self.current_text();
        let message = if self.at(IDENT) && self.nth(1) == Some(EQ) {
            format!("field `{what}` outside any declaration")
        } else {
            format!("expected `import` or a declaration, found `{what}`")
        };
        self.error_here(
            Code::ExpectedDeclaration,
            message,
            Some("a spec is a list of declarations such as `molecule h2 { ... }`"),
        );
        self.start(ERROR);
        while let Some(kind) = self.current() {
            if kind == IMPORT_KW || kind.is_decl_keyword() {
                break;
            }
            self.bump();
        }
        self.finish();
    }

    /// A declaration or record body: `{ field* }`; declarations also allow `scan` items.
    fn block(&mut self, kind: BlockKind) {
        self.start(BLOCK);
        self.bump(); // {
        loop {
            match self.current() {
                Some(R_BRACE) => {
                    self.bump();
                    break;
                }
                None => {
                    self.error_here(Code::MissingClosingBrace, "expected `}` before the end of the file", None);
                    break;
                }
                Some(_) if self.at_declaration_start() => {
                    self.error_here(
                        Code::MissingClosingBrace,
                        "expected `}` before the next declaration",
                        Some("close the block above with `}`"),
                    );
                    break;
                }
                Some(SCAN_KW) => {
                    if kind == BlockKind::Record {
                        self.error_here(Code::ExpectedField, "a scan is only allowed in a declaration", None);
                    }
                    self.scan();
                }
                Some(_) if self.at_field_name() => self.field(),
                Some(_) => {
                    let found = self.current_text();
                    self.error_here(
                        Code::ExpectedField,
                        format!("expected a field such as `name = value`, found `{found}`"),
                        None,
                    );
                    // Skip to something that can continue the block, so a run of stray tokens
                    // is one error, not one per token.
                    self.start(ERROR);
                    self.bump();
                    while self.current().is_some_and(|k| k != R_BRACE) && !self.at_member_start() {
                        self.bump();
                    }
                    self.finish();
                }
            }
        }
        self.finish();
    }

    /// `scan r = linspace(...)`
    fn scan(&mut self) {
        self.start(SCAN);
        self.bump(); // scan
        if !self.name() {
            self.error_here(
                Code::ExpectedName,
                "expected the scan variable's name",
                Some("e.g. `scan r = linspace(0.5 angstrom, 2.5 angstrom, 21)`"),
            );
        }
        self.field_value();
        self.finish();
    }

    /// `name = value`
    fn field(&mut self) {
        self.start(FIELD);
        self.start(NAME);
        self.bump();
        self.finish();
        self.field_value();
        self.finish();
    }

    /// `= value`, tolerating a missing `=` or value.
    fn field_value(&mut self) {
        if !self.eat(EQ) {
            self.error_here(Code::ExpectedToken, "expected `=`", None);
        }
        if self.at_member_start() || self.current().is_none() || self.at(R_BRACE) {
            self.error_here(Code::ExpectedExpression, "expected a value", None);
        } else {
            self.expr();
        }
    }

    // --- Expressions -------------------------------------------------------------------------

    fn expr(&mut self) {
        if self.depth >= MAX_DEPTH {
            self.error_here(Code::NestingTooDeep, "expression nested too deeply", None);
            self.start(ERROR);
            self.bump();
            self.finish();
            return;
        }
        self.depth += 1;
        self.comparison();
        self.depth -= 1;
    }

    fn comparison(&mut self) {
        let cp = self.checkpoint();
        self.range();
        if self.at_compare_op() {
            self.binary_tail(cp, Self::range);
            if self.at_compare_op() {
                self.error_here(
                    Code::ChainedOperator,
                    "comparisons do not chain",
                    Some("compare two values at a time"),
                );
                self.binary_tail(cp, Self::range);
            }
        }
    }

    fn range(&mut self) {
        let cp = self.checkpoint();
        self.sum();
        if self.at(DOT2) {
            self.binary_tail(cp, Self::sum);
            if self.at(DOT2) {
                self.error_here(Code::ChainedOperator, "ranges do not chain", Some("write a range as `first..last`"));
                self.binary_tail(cp, Self::sum);
            }
        }
    }

    fn sum(&mut self) {
        let cp = self.checkpoint();
        let depth = self.depth;
        self.product();
        while (self.at(PLUS) || self.at(MINUS)) && self.chain_deeper() {
            self.binary_tail(cp, Self::product);
        }
        self.depth = depth;
    }

    fn product(&mut self) {
        let cp = self.checkpoint();
        let depth = self.depth;
        self.unary();
        while (self.at(STAR) || self.at(SLASH)) && self.chain_deeper() {
            self.binary_tail(cp, Self::unary);
        }
        self.depth = depth;
    }

    /// Each operator of a chain such as `1 + 2 + 3` nests the tree one level deeper (the operators
    /// associate to the left), so chains count towards [`MAX_DEPTH`] like brackets do. At the
    /// limit this reports the operator and returns false; the caller stops the chain there, and
    /// the rest is recovered from like any unexpected token. The caller restores the depth.
    fn chain_deeper(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            self.error_here(Code::NestingTooDeep, "expression nested too deeply", Some("split the expression"));
            return false;
        }
        self.depth += 1;
        true
    }

    /// Wraps what was parsed since `cp` with the operator and the right operand in a `BIN_EXPR`.
    fn binary_tail(&mut self, cp: Checkpoint, operand: fn(&mut Self)) {
        self.builder.start_node_at(cp, BIN_EXPR.into());
        self.bump(); // operator
        operand(self);
        self.builder.finish_node();
    }

    fn unary(&mut self) {
        if self.at(MINUS) {
            self.start(PREFIX_EXPR);
            self.bump();
            if self.depth >= MAX_DEPTH {
                self.error_here(Code::NestingTooDeep, "expression nested too deeply", None);
            } else {
                self.depth += 1;
                self.unary();
                self.depth -= 1;
            }
            self.finish();
        } else {
            self.primary();
        }
    }

    fn primary(&mut self) {
        match self.current() {
            Some(NUMBER) => self.quantity(),
            Some(STRING) => {
                self.start(STRING_LIT);
                self.bump();
                self.finish();
            }
            Some(L_BRACK) => self.list(),
            Some(L_PAREN) => {
                self.start(PAREN);
                self.bump();
                self.expr();
                self.expect_closing(R_PAREN, "`)`");
                self.finish();
            }
            Some(IDENT) if self.at_geometry_start() => self.geometry(),
            Some(_) if self.at_word() && !self.at_declaration_start() => self.path_based(),
            _ => {
                let found =
                    self.current().map_or("the end of the file".to_string(), |_| format!("`{}`", self.current_text()));
                self.error_here(Code::ExpectedExpression, format!("expected a value, found {found}"), None);
                // Consume the offending token unless it can end or begin something enclosing.
                if !matches!(self.current(), None | Some(R_BRACE | R_PAREN | R_BRACK | COMMA))
                    && !self.at_member_start()
                {
                    self.start(ERROR);
                    self.bump();
                    self.finish();
                }
            }
        }
    }

    /// `0.74 angstrom`: a word right after a number is its unit unless a field starts there.
    fn quantity(&mut self) {
        self.start(QUANTITY);
        self.bump();
        if self.at(IDENT) && self.nth(1) != Some(EQ) {
            self.start(UNIT);
            self.bump();
            self.finish();
        }
        self.finish();
    }

    fn list(&mut self) {
        self.start(LIST);
        self.bump(); // [
        while !self.at(R_BRACK) {
            if self.current().is_none() || self.at(R_BRACE) || self.at_member_start() {
                break;
            }
            let before = self.pos;
            self.expr();
            if !self.eat(COMMA) {
                if !self.at(R_BRACK) && self.pos == before {
                    // `expr` consumed nothing and there is no comma: stop instead of spinning.
                    break;
                }
                if !self.at(R_BRACK) && self.current().is_some() && !self.at(R_BRACE) && !self.at_member_start() {
                    self.error_here(Code::ExpectedToken, "expected `,` or `]` in the list", None);
                }
                if !self.at(R_BRACK) {
                    break;
                }
            }
        }
        self.expect_closing(R_BRACK, "`]`");
        self.finish();
    }

    /// A path and what may follow it: a call's arguments or a record's overrides.
    fn path_based(&mut self) {
        let cp = self.checkpoint();
        self.path();
        match self.current() {
            Some(L_PAREN) => {
                self.builder.start_node_at(cp, CALL.into());
                self.arguments();
                self.builder.finish_node();
            }
            Some(L_BRACE) => {
                self.builder.start_node_at(cp, RECORD.into());
                self.block(BlockKind::Record);
                self.builder.finish_node();
            }
            _ => {
                self.builder.start_node_at(cp, PATH_EXPR.into());
                self.builder.finish_node();
            }
        }
    }

    /// `(a, name = b)`
    fn arguments(&mut self) {
        self.start(ARG_LIST);
        self.bump(); // (
        while !self.at(R_PAREN) {
            if self.current().is_none() || self.at(R_BRACE) || self.at_declaration_start() {
                break;
            }
            let before = self.pos;
            self.start(ARG);
            if self.at(IDENT) && self.nth(1) == Some(EQ) {
                self.start(NAME);
                self.bump();
                self.finish();
                self.bump(); // =
            }
            self.expr();
            self.finish();
            if !self.eat(COMMA) {
                if !self.at(R_PAREN) && self.pos != before && self.current().is_some() && !self.at(R_BRACE) {
                    self.error_here(Code::ExpectedToken, "expected `,` or `)` in the arguments", None);
                }
                break;
            }
        }
        self.expect_closing(R_PAREN, "`)`");
        self.finish();
    }

    /// `ionq.aria`, `h2`
    fn path(&mut self) {
        self.start(PATH);
        self.bump();
        while self.at(DOT) {
            self.bump();
            if self.at_word() {
                self.bump();
            } else {
                self.error_here(Code::ExpectedName, "expected a name after `.`", None);
                break;
            }
        }
        self.finish();
    }

    /// `xyz { H 0 0 0  H 0 0 {r} }` or `zmatrix { ... }`
    fn geometry(&mut self) {
        self.start(GEOMETRY);
        self.bump(); // xyz | zmatrix
        self.bump(); // {
        loop {
            match self.current() {
                Some(R_BRACE) => {
                    self.bump();
                    break;
                }
                None => {
                    self.error_here(Code::MissingClosingBrace, "expected `}` to close the geometry", None);
                    break;
                }
                Some(IDENT) => self.atom(),
                Some(_) if self.at_declaration_start() => {
                    self.error_here(Code::MissingClosingBrace, "expected `}` to close the geometry", None);
                    break;
                }
                Some(_) => {
                    let found = self.current_text();
                    self.error_here(
                        Code::ExpectedAtom,
                        format!("expected an element symbol, found `{found}`"),
                        Some("each atom is an element symbol followed by its coordinates, e.g. `H 0 0 0.74`"),
                    );
                    self.start(ERROR);
                    self.bump();
                    self.finish();
                }
            }
        }
        self.finish();
    }

    /// `H 0 0 {r}`: an element symbol and its coordinates.
    fn atom(&mut self) {
        self.start(ATOM);
        self.bump(); // element
        loop {
            match self.current() {
                Some(NUMBER) => {
                    self.start(COORD);
                    self.bump();
                    self.finish();
                }
                Some(MINUS) => {
                    self.start(COORD);
                    self.bump();
                    if self.at(NUMBER) {
                        self.bump();
                    } else {
                        self.error_here(
                            Code::ExpectedExpression,
                            "expected a number after `-`",
                            Some("negate an interpolation inside the braces: `{-r}`"),
                        );
                    }
                    self.finish();
                }
                Some(L_BRACE) => {
                    self.start(INTERP);
                    self.bump();
                    self.expr();
                    self.expect_closing(R_BRACE, "`}`");
                    self.finish();
                }
                _ => break,
            }
        }
        self.finish();
    }

    // --- Token plumbing ----------------------------------------------------------------------

    /// The kind of the next significant (non-trivia) token.
    fn current(&self) -> Option<SyntaxKind> {
        self.nth(0)
    }

    /// The kind of the `n`-th significant token ahead.
    fn nth(&self, n: usize) -> Option<SyntaxKind> {
        self.tokens[self.pos..].iter().filter(|t| !t.kind.is_trivia()).nth(n).map(|t| t.kind)
    }

    fn current_token(&self) -> Option<&Token<'t>> {
        self.tokens[self.pos..].iter().find(|t| !t.kind.is_trivia())
    }

    fn current_text(&self) -> &'t str {
        self.current_token().map_or("", |t| t.text)
    }

    fn at(&self, kind: SyntaxKind) -> bool {
        self.current() == Some(kind)
    }

    /// A name or a declaration keyword (both can be path segments and field names).
    fn at_word(&self) -> bool {
        self.current().is_some_and(|k| k == IDENT || k.is_decl_keyword())
    }

    fn at_field_name(&self) -> bool {
        self.at_word() && self.nth(1) == Some(EQ)
    }

    fn at_member_start(&self) -> bool {
        self.at_field_name() || self.at(SCAN_KW) || self.at_declaration_start()
    }

    /// A declaration keyword, a name and `{`: always the start of a new declaration.
    fn at_declaration_start(&self) -> bool {
        (self.current().is_some_and(SyntaxKind::is_decl_keyword)
            && self.nth(1) == Some(IDENT)
            && self.nth(2) == Some(L_BRACE))
            || self.at(IMPORT_KW)
    }

    fn at_geometry_start(&self) -> bool {
        matches!(self.current_text(), "xyz" | "zmatrix") && self.nth(1) == Some(L_BRACE)
    }

    fn at_compare_op(&self) -> bool {
        matches!(self.current(), Some(LT | LE | GT | GE | EQ2 | NEQ))
    }

    /// Adds pending trivia to the node being built, so that nodes start at significant tokens.
    fn flush_trivia(&mut self) {
        while let Some(token) = self.tokens.get(self.pos) {
            if !token.kind.is_trivia() {
                break;
            }
            self.builder.token(token.kind.into(), token.text);
            self.pos += 1;
        }
    }

    /// Adds the next significant token (and the trivia before it) to the tree.
    fn bump(&mut self) {
        self.flush_trivia();
        if let Some(&token) = self.tokens.get(self.pos) {
            if token.kind == ERROR_TOKEN {
                self.report_error_token(token);
            }
            self.builder.token(token.kind.into(), token.text);
            self.pos += 1;
        }
    }

    fn report_error_token(&mut self, token: Token<'t>) {
        let range = token.offset..token.offset + token.text.len();
        let error = if token.text.starts_with('"') {
            SyntaxError::new(Code::UnterminatedString, range, "string is not closed on this line")
                .with_help("add the closing `\"`; strings cannot span lines")
        } else {
            SyntaxError::new(Code::UnexpectedCharacter, range, format!("unexpected `{}`", token.text))
        };
        self.errors.push(error);
    }

    fn eat(&mut self, kind: SyntaxKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Parses a declaration name if one is next.
    fn name(&mut self) -> bool {
        if self.at(IDENT) {
            self.start(NAME);
            self.bump();
            self.finish();
            true
        } else {
            false
        }
    }

    fn expect_closing(&mut self, kind: SyntaxKind, shown: &str) {
        if !self.eat(kind) {
            self.error_here(Code::ExpectedToken, format!("expected {shown}"), None);
        }
    }

    fn start(&mut self, kind: SyntaxKind) {
        self.flush_trivia();
        self.builder.start_node(kind.into());
    }

    fn finish(&mut self) {
        self.builder.finish_node();
    }

    fn checkpoint(&mut self) -> Checkpoint {
        self.flush_trivia();
        self.builder.checkpoint()
    }

    /// Reports an error at the next significant token (or at the end of the file). An error token
    /// there is reported once, when bumped, so no second error is added for it.
    fn error_here(&mut self, code: Code, message: impl Into<String>, help: Option<&str>) {
        let range = match self.current_token() {
            Some(token) if token.kind == ERROR_TOKEN => return,
            Some(token) => token.offset..token.offset + token.text.len(),
            None => self.text_len..self.text_len,
        };
        // One error per position: cascades at the same token add nothing a reader needs.
        if self.errors.last().is_some_and(|e| e.range.start == range.start) {
            return;
        }
        let mut error = SyntaxError::new(code, range, message);
        if let Some(help) = help {
            error = error.with_help(help);
        }
        self.errors.push(error);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Declaration,
    Record,
}
