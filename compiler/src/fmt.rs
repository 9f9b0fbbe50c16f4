//! The formatter: one canonical layout for every spec, comments kept.
//!
//! Layout: one declaration per paragraph, one member per line indented by two spaces, single
//! spaces around `=` and binary operators (none around `..`), lists and calls on one line,
//! records on one line when short, geometry blocks with one atom per line and element symbols
//! padded to a column. Comments stay where they were: on their own line, or trailing a member or
//! an atom. An expression with a comment inside it is kept as written, so nothing is ever lost.
//!
//! The layout depends only on the tree, never on the input's layout (except where the input had
//! blank lines, of which at most one is kept), so formatting is idempotent and never changes the
//! meaning of a spec (tests check both, and that IR hashes are unchanged).

use crate::syntax::{parse, SyntaxElement, SyntaxKind::*, SyntaxNode, SyntaxToken};

const INDENT: &str = "  ";
/// Records longer than this on one line are split over several lines.
const MAX_INLINE_RECORD: usize = 80;

/// Formats a spec. Failure contract: `None` when the text has syntax errors (the formatter only
/// rewrites specs it fully understands).
pub fn format(text: &str) -> Option<String> {
    let parse = parse(text);
    if !parse.errors().is_empty() {
        return None;
    }
    let mut printer = Printer::default();
    printer.sequence(&parse.syntax(), 0, true);
    let mut out = printer.out.trim_end().to_string();
    if !out.is_empty() {
        out.push('\n');
    }
    Some(out)
}

#[derive(Default)]
struct Printer {
    out: String,
    /// Whether the last item written at the top level was a declaration, so that a comment or
    /// declaration after it gets a blank line.
    last_was_decl: bool,
}

/// What was last written at a level, to decide on blank lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Comment,
    Item,
}

impl Printer {
    /// Writes the children of a file (`top_level`) or of a block: items or members, one per line,
    /// with the comments between them.
    fn sequence(&mut self, parent: &SyntaxNode, depth: usize, top_level: bool) {
        let mut last = Last::Nothing;
        let mut newlines_before = 0usize;
        for element in parent.children_with_tokens() {
            match element {
                SyntaxElement::Token(token) => match token.kind() {
                    WHITESPACE => newlines_before += token.text().matches('\n').count(),
                    COMMENT => {
                        if last != Last::Nothing && newlines_before == 0 {
                            self.trailing_comment(&token);
                        } else {
                            self.separate(last, newlines_before, top_level && last == Last::Item && self.last_was_decl);
                            self.line(depth, token.text().trim_end());
                            last = Last::Comment;
                        }
                        newlines_before = 0;
                    }
                    // Braces of a block are written by `block`.
                    _ => newlines_before = 0,
                },
                SyntaxElement::Node(node) => {
                    let force_blank = top_level && last == Last::Item && (node.kind() == DECL || self.last_was_decl);
                    self.separate(last, newlines_before, force_blank);
                    self.item(&node, depth);
                    self.last_was_decl = node.kind() == DECL;
                    last = Last::Item;
                    newlines_before = 0;
                }
            }
        }
    }

    /// Starts a new line after `last`, with one blank line when the input had one or `force`.
    fn separate(&mut self, last: Last, newlines_before: usize, force: bool) {
        if last != Last::Nothing && (newlines_before >= 2 || force) {
            self.out.push('\n');
        }
    }

    fn line(&mut self, depth: usize, text: &str) {
        self.out.push_str(&INDENT.repeat(depth));
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn trailing_comment(&mut self, token: &SyntaxToken) {
        if self.out.ends_with('\n') {
            self.out.pop();
        }
        self.out.push_str("  ");
        self.out.push_str(token.text().trim_end());
        self.out.push('\n');
    }

    /// An import, declaration, field or scan, starting at the beginning of a line.
    fn item(&mut self, node: &SyntaxNode, depth: usize) {
        self.out.push_str(&INDENT.repeat(depth));
        match node.kind() {
            IMPORT => {
                let text = inline(node).unwrap_or_else(|| verbatim(node));
                self.out.push_str(&text);
            }
            DECL if !has_comment_outside_block(node) => {
                let words: Vec<String> =
                    node.children_with_tokens().filter(|e| e.kind() != BLOCK).filter_map(|e| word(&e)).collect();
                self.out.push_str(&words.join(" "));
                if let Some(block) = node.children().find(|n| n.kind() == BLOCK) {
                    self.out.push(' ');
                    self.block(&block, depth);
                }
            }
            FIELD | SCAN => {
                let mut head: Vec<String> = Vec::new();
                let mut value = None;
                for child in node.children_with_tokens() {
                    match child.kind() {
                        SCAN_KW => head.push("scan".into()),
                        NAME => head.push(inline(child.as_node().expect("NAME is a node")).unwrap_or_default()),
                        EQ | WHITESPACE => {}
                        COMMENT => {}
                        _ => value = child.into_node(),
                    }
                }
                // A comment in the head (around the name or `=`) has no place in the layout; comments
                // inside a geometry or record are placed by `value`.
                let comment_in_head = node.children_with_tokens().any(|e| e.kind() == COMMENT);
                if comment_in_head
                    || (node.descendants_with_tokens().any(|e| e.kind() == COMMENT)
                        && !value.as_ref().is_some_and(|v| matches!(v.kind(), GEOMETRY | RECORD)))
                {
                    self.out.push_str(&verbatim(node));
                } else {
                    self.out.push_str(&head.join(" "));
                    self.out.push_str(" = ");
                    if let Some(value) = value {
                        self.value(&value, depth);
                    }
                }
            }
            _ => self.out.push_str(&verbatim(node)),
        }
        self.out.push('\n');
    }

    /// A block's braces and members. Empty blocks print as `{}`.
    fn block(&mut self, block: &SyntaxNode, depth: usize) {
        let empty = !block.children_with_tokens().any(|e| e.kind() == COMMENT || e.as_node().is_some());
        if empty {
            self.out.push_str("{}");
            return;
        }
        self.out.push_str("{\n");
        self.sequence(block, depth + 1, false);
        self.out.push_str(&INDENT.repeat(depth));
        self.out.push('}');
    }

    /// A field's value, which may span lines (geometries, long records).
    fn value(&mut self, node: &SyntaxNode, depth: usize) {
        match node.kind() {
            GEOMETRY if !has_comment_in_atoms(node) => self.geometry(node, depth),
            RECORD if !has_comment_outside_block(node) => {
                if let Some(text) = inline(node).filter(|t| t.len() <= MAX_INLINE_RECORD) {
                    self.out.push_str(&text);
                } else {
                    let path = node
                        .children()
                        .find(|n| n.kind() == PATH)
                        .map(|p| inline(&p).unwrap_or_default())
                        .unwrap_or_default();
                    self.out.push_str(&path);
                    self.out.push(' ');
                    if let Some(block) = node.children().find(|n| n.kind() == BLOCK) {
                        self.block(&block, depth);
                    }
                }
            }
            _ => {
                let text = inline(node).unwrap_or_else(|| verbatim(node));
                self.out.push_str(&text);
            }
        }
    }

    /// `xyz {` / `zmatrix {`, one atom per line with symbols padded to a column, then `}`.
    fn geometry(&mut self, node: &SyntaxNode, depth: usize) {
        let kind = node.first_token().map(|t| t.text().to_string()).unwrap_or_default();
        let width = node
            .children()
            .filter(|n| n.kind() == ATOM)
            .filter_map(|a| a.first_token())
            .map(|t| t.text().chars().count())
            .max()
            .unwrap_or(0);
        self.out.push_str(&kind);
        self.out.push_str(" {\n");
        let mut last = Last::Nothing;
        let mut newlines_before = 0;
        for element in node.children_with_tokens() {
            match element {
                SyntaxElement::Token(token) => match token.kind() {
                    WHITESPACE => newlines_before += token.text().matches('\n').count(),
                    COMMENT => {
                        if last != Last::Nothing && newlines_before == 0 {
                            self.trailing_comment(&token);
                        } else {
                            self.separate(last, newlines_before, false);
                            self.line(depth + 1, token.text().trim_end());
                            last = Last::Comment;
                        }
                        newlines_before = 0;
                    }
                    _ => newlines_before = 0,
                },
                SyntaxElement::Node(atom) => {
                    self.separate(last, newlines_before, false);
                    let mut parts = Vec::new();
                    let mut symbol = String::new();
                    for child in atom.children_with_tokens() {
                        match child {
                            SyntaxElement::Token(t) if t.kind() == IDENT => symbol = t.text().to_string(),
                            SyntaxElement::Node(coordinate) => {
                                parts.push(inline(&coordinate).unwrap_or_else(|| verbatim(&coordinate)))
                            }
                            SyntaxElement::Token(_) => {}
                        }
                    }
                    let pad = width - symbol.chars().count();
                    let mut line = symbol;
                    if !parts.is_empty() {
                        line.push_str(&" ".repeat(pad + 1));
                        line.push_str(&parts.join(" "));
                    }
                    self.line(depth + 1, &line);
                    last = Last::Item;
                    newlines_before = 0;
                }
            }
        }
        self.out.push_str(&INDENT.repeat(depth));
        self.out.push('}');
    }
}

/// An expression on one line, or `None` if it has a comment or a geometry inside.
fn inline(node: &SyntaxNode) -> Option<String> {
    if node.descendants_with_tokens().any(|e| e.kind() == COMMENT) {
        return None;
    }
    inline_uncommented(node)
}

/// [`inline`] for a node with no comment inside. Looking for comments once, at the top, keeps
/// formatting linear in the depth of the tree rather than quadratic (cubic for nested records,
/// which are tried inline at every level).
fn inline_uncommented(node: &SyntaxNode) -> Option<String> {
    // A loop rather than `collect::<Option<Vec<_>>>()`, whose iterator adapters are a dozen stack
    // frames per level in unoptimised builds, where nesting at the parser's limit then needs more
    // than a thread's default 2 MiB of stack.
    let child_texts = || {
        let mut texts = Vec::new();
        for child in node.children() {
            texts.push(inline_uncommented(&child)?);
        }
        Some(texts)
    };
    Some(match node.kind() {
        NAME | UNIT | STRING_LIT | COORD => tokens(node).join(""),
        PATH | PATH_EXPR => tokens(node).join(""),
        IMPORT => {
            let mut words = Vec::new();
            for element in node.children_with_tokens() {
                match element {
                    SyntaxElement::Token(t) if !t.kind().is_trivia() => words.push(t.text().to_string()),
                    SyntaxElement::Node(n) => words.push(inline_uncommented(&n)?),
                    SyntaxElement::Token(_) => {}
                }
            }
            words.join(" ")
        }
        QUANTITY => {
            // The number is the quantity's own token; the unit's token is under its `UNIT` node.
            let number = node
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .filter(|t| !t.kind().is_trivia())
                .map(|t| t.text().to_string())
                .collect::<String>();
            match node.children().next() {
                Some(unit) => format!("{number} {}", inline_uncommented(&unit)?),
                None => number,
            }
        }
        LIST => format!("[{}]", child_texts()?.join(", ")),
        ARG_LIST => format!("({})", child_texts()?.join(", ")),
        ARG => {
            let parts = child_texts()?;
            match node.children().next().map(|n| n.kind()) {
                Some(NAME) => format!("{} = {}", parts.first()?, parts.get(1)?),
                _ => parts.join(""),
            }
        }
        PAREN => format!("({})", child_texts()?.join("")),
        CALL => child_texts()?.join(""),
        INTERP => format!("{{{}}}", child_texts()?.join("")),
        PREFIX_EXPR => format!("-{}", child_texts()?.join("")),
        BIN_EXPR => {
            let parts = child_texts()?;
            let op = node.children_with_tokens().filter_map(|e| e.into_token()).find(|t| !t.kind().is_trivia())?;
            let (lhs, rhs) = (parts.first()?, parts.get(1)?);
            if op.kind() == DOT2 {
                format!("{lhs}..{rhs}")
            } else {
                format!("{lhs} {} {rhs}", op.text())
            }
        }
        RECORD => {
            let path = inline_uncommented(&node.children().find(|n| n.kind() == PATH)?)?;
            let block = node.children().find(|n| n.kind() == BLOCK)?;
            let fields: Vec<String> = block.children().map(|f| field_inline(&f)).collect::<Option<_>>()?;
            if fields.is_empty() {
                format!("{path} {{}}")
            } else {
                format!("{path} {{ {} }}", fields.join("  "))
            }
        }
        _ => return None,
    })
}

/// A record's field on one line; the record has no comment inside.
fn field_inline(field: &SyntaxNode) -> Option<String> {
    let name = inline_uncommented(&field.children().find(|n| n.kind() == NAME)?)?;
    let value = field.children().find(|n| n.kind() != NAME)?;
    Some(format!("{name} = {}", inline_uncommented(&value)?))
}

/// The non-trivia tokens of `node` and its descendants.
fn tokens(node: &SyntaxNode) -> Vec<String> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
        .map(|t| t.text().to_string())
        .collect()
}

/// A keyword or name of a declaration header.
fn word(element: &SyntaxElement) -> Option<String> {
    match element {
        SyntaxElement::Token(t) if !t.kind().is_trivia() => Some(t.text().to_string()),
        SyntaxElement::Node(n) => inline(n),
        SyntaxElement::Token(_) => None,
    }
}

fn verbatim(node: &SyntaxNode) -> String {
    node.text().to_string().trim().to_string()
}

fn has_comment_outside_block(node: &SyntaxNode) -> bool {
    node.children_with_tokens().any(|e| {
        e.kind() == COMMENT
            || (e.kind() != BLOCK
                && e.as_node().is_some_and(|n| n.descendants_with_tokens().any(|d| d.kind() == COMMENT)))
    })
}

/// Comments inside an atom line (not between atoms) cannot be placed by the geometry layout.
fn has_comment_in_atoms(node: &SyntaxNode) -> bool {
    node.children().any(|atom| atom.descendants_with_tokens().any(|e| e.kind() == COMMENT))
}
