//! Typed views over the syntax tree. Each type wraps a node of one kind; accessors return `None`
//! where the parser recovered from an error and the part is missing.

use super::kind::SyntaxKind::{self, *};
use super::{SyntaxNode, SyntaxToken};

macro_rules! ast_node {
    ($name:ident, $kind:ident) => {
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name {
            pub(crate) syntax: SyntaxNode,
        }

        impl $name {
            pub fn cast(syntax: SyntaxNode) -> Option<Self> {
                (syntax.kind() == $kind).then(|| Self { syntax })
            }

            pub fn syntax(&self) -> &SyntaxNode {
                &self.syntax
            }
        }
    };
}

ast_node!(SourceFile, SOURCE_FILE);
ast_node!(Import, IMPORT);
ast_node!(Decl, DECL);
ast_node!(Name, NAME);
ast_node!(Block, BLOCK);
ast_node!(Field, FIELD);
ast_node!(Scan, SCAN);
ast_node!(Path, PATH);
ast_node!(PathExpr, PATH_EXPR);
ast_node!(Quantity, QUANTITY);
ast_node!(Unit, UNIT);
ast_node!(StringLit, STRING_LIT);
ast_node!(List, LIST);
ast_node!(Paren, PAREN);
ast_node!(Geometry, GEOMETRY);
ast_node!(Atom, ATOM);
ast_node!(Coord, COORD);
ast_node!(Interp, INTERP);
ast_node!(Call, CALL);
ast_node!(Arg, ARG);
ast_node!(Record, RECORD);
ast_node!(BinExpr, BIN_EXPR);
ast_node!(PrefixExpr, PREFIX_EXPR);

fn child<N>(node: &SyntaxNode, cast: fn(SyntaxNode) -> Option<N>) -> Option<N> {
    node.children().find_map(cast)
}

fn children<N>(node: &SyntaxNode, cast: fn(SyntaxNode) -> Option<N>) -> impl Iterator<Item = N> {
    node.children().filter_map(cast)
}

fn token(node: &SyntaxNode, pred: impl Fn(SyntaxKind) -> bool) -> Option<SyntaxToken> {
    node.children_with_tokens().filter_map(|e| e.into_token()).find(|t| pred(t.kind()))
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    Import(Import),
    Decl(Decl),
}

impl SourceFile {
    pub fn items(&self) -> impl Iterator<Item = Item> {
        self.syntax.children().filter_map(|n| match n.kind() {
            IMPORT => Some(Item::Import(Import { syntax: n })),
            DECL => Some(Item::Decl(Decl { syntax: n })),
            _ => None,
        })
    }

    pub fn decls(&self) -> impl Iterator<Item = Decl> {
        children(&self.syntax, Decl::cast)
    }

    pub fn imports(&self) -> impl Iterator<Item = Import> {
        children(&self.syntax, Import::cast)
    }
}

impl Import {
    pub fn path(&self) -> Option<Path> {
        child(&self.syntax, Path::cast)
    }

    /// The `as` name, if given.
    pub fn alias(&self) -> Option<Name> {
        child(&self.syntax, Name::cast)
    }
}

impl Decl {
    /// The declaration keyword, e.g. `MOLECULE_KW`.
    pub fn keyword(&self) -> Option<SyntaxToken> {
        token(&self.syntax, SyntaxKind::is_decl_keyword)
    }

    pub fn name(&self) -> Option<Name> {
        child(&self.syntax, Name::cast)
    }

    pub fn block(&self) -> Option<Block> {
        child(&self.syntax, Block::cast)
    }
}

impl Name {
    pub fn token(&self) -> Option<SyntaxToken> {
        self.syntax.first_token().filter(|t| t.kind() == IDENT || t.kind().is_keyword())
    }

    pub fn text(&self) -> String {
        self.token().map(|t| t.text().to_string()).unwrap_or_default()
    }
}

/// A member of a block.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Member {
    Field(Field),
    Scan(Scan),
}

impl Block {
    pub fn members(&self) -> impl Iterator<Item = Member> {
        self.syntax.children().filter_map(|n| match n.kind() {
            FIELD => Some(Member::Field(Field { syntax: n })),
            SCAN => Some(Member::Scan(Scan { syntax: n })),
            _ => None,
        })
    }

    pub fn fields(&self) -> impl Iterator<Item = Field> {
        children(&self.syntax, Field::cast)
    }

    pub fn has_closing_brace(&self) -> bool {
        self.syntax.last_token().is_some_and(|t| t.kind() == R_BRACE)
    }
}

impl Field {
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax, Name::cast)
    }

    pub fn value(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

impl Scan {
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax, Name::cast)
    }

    pub fn value(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

impl Path {
    /// The segments' texts: `ionq.aria` gives `["ionq", "aria"]`.
    pub fn segments(&self) -> Vec<SyntaxToken> {
        self.syntax
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == IDENT || t.kind().is_decl_keyword())
            .collect()
    }

    pub fn text(&self) -> String {
        self.segments().iter().map(|t| t.text().to_string()).collect::<Vec<_>>().join(".")
    }
}

/// An expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    Quantity(Quantity),
    String(StringLit),
    List(List),
    Paren(Paren),
    Geometry(Geometry),
    Call(Call),
    Record(Record),
    Path(PathExpr),
    Binary(BinExpr),
    Prefix(PrefixExpr),
}

impl Expr {
    pub fn cast(node: SyntaxNode) -> Option<Self> {
        Some(match node.kind() {
            QUANTITY => Expr::Quantity(Quantity { syntax: node }),
            STRING_LIT => Expr::String(StringLit { syntax: node }),
            LIST => Expr::List(List { syntax: node }),
            PAREN => Expr::Paren(Paren { syntax: node }),
            GEOMETRY => Expr::Geometry(Geometry { syntax: node }),
            CALL => Expr::Call(Call { syntax: node }),
            RECORD => Expr::Record(Record { syntax: node }),
            PATH_EXPR => Expr::Path(PathExpr { syntax: node }),
            BIN_EXPR => Expr::Binary(BinExpr { syntax: node }),
            PREFIX_EXPR => Expr::Prefix(PrefixExpr { syntax: node }),
            _ => return None,
        })
    }

    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Expr::Quantity(n) => &n.syntax,
            Expr::String(n) => &n.syntax,
            Expr::List(n) => &n.syntax,
            Expr::Paren(n) => &n.syntax,
            Expr::Geometry(n) => &n.syntax,
            Expr::Call(n) => &n.syntax,
            Expr::Record(n) => &n.syntax,
            Expr::Path(n) => &n.syntax,
            Expr::Binary(n) => &n.syntax,
            Expr::Prefix(n) => &n.syntax,
        }
    }
}

impl Quantity {
    pub fn number(&self) -> Option<SyntaxToken> {
        token(&self.syntax, |k| k == NUMBER)
    }

    pub fn unit(&self) -> Option<Unit> {
        child(&self.syntax, Unit::cast)
    }
}

impl Unit {
    pub fn text(&self) -> String {
        self.syntax.first_token().map(|t| t.text().to_string()).unwrap_or_default()
    }
}

impl StringLit {
    /// The string's value with escapes resolved (`\"`, `\\`, `\n`, `\t`; any other escaped
    /// character stands for itself).
    pub fn value(&self) -> String {
        let raw = self.syntax.first_token().map(|t| t.text().to_string()).unwrap_or_default();
        let inner = raw.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or("");
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}

impl List {
    pub fn items(&self) -> impl Iterator<Item = Expr> {
        self.syntax.children().filter_map(Expr::cast)
    }
}

impl Paren {
    pub fn inner(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

/// Which geometry sublanguage a block uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GeometryKind {
    Xyz,
    Zmatrix,
}

impl Geometry {
    pub fn kind(&self) -> GeometryKind {
        match self.syntax.first_token().map(|t| t.text().to_string()).as_deref() {
            Some("zmatrix") => GeometryKind::Zmatrix,
            _ => GeometryKind::Xyz,
        }
    }

    pub fn atoms(&self) -> impl Iterator<Item = Atom> {
        children(&self.syntax, Atom::cast)
    }
}

/// One coordinate of an atom line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Coordinate {
    Number(Coord),
    Interp(Interp),
}

impl Coordinate {
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Coordinate::Number(c) => &c.syntax,
            Coordinate::Interp(i) => &i.syntax,
        }
    }
}

impl Atom {
    pub fn element(&self) -> Option<SyntaxToken> {
        self.syntax.first_token().filter(|t| t.kind() == IDENT)
    }

    pub fn coordinates(&self) -> impl Iterator<Item = Coordinate> {
        self.syntax.children().filter_map(|n| match n.kind() {
            COORD => Some(Coordinate::Number(Coord { syntax: n })),
            INTERP => Some(Coordinate::Interp(Interp { syntax: n })),
            _ => None,
        })
    }
}

impl Coord {
    pub fn is_negative(&self) -> bool {
        token(&self.syntax, |k| k == MINUS).is_some()
    }

    pub fn number(&self) -> Option<SyntaxToken> {
        token(&self.syntax, |k| k == NUMBER)
    }
}

impl Interp {
    pub fn expr(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

impl Call {
    pub fn path(&self) -> Option<Path> {
        child(&self.syntax, Path::cast)
    }

    pub fn args(&self) -> impl Iterator<Item = Arg> {
        self.syntax
            .children()
            .filter(|n| n.kind() == ARG_LIST)
            .flat_map(|list| children(&list, Arg::cast).collect::<Vec<_>>())
    }
}

impl Arg {
    /// The name of a named argument (`test = 0.2`).
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax, Name::cast)
    }

    pub fn value(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

impl Record {
    pub fn path(&self) -> Option<Path> {
        child(&self.syntax, Path::cast)
    }

    pub fn block(&self) -> Option<Block> {
        child(&self.syntax, Block::cast)
    }
}

impl PathExpr {
    pub fn path(&self) -> Option<Path> {
        child(&self.syntax, Path::cast)
    }
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Range,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Range => "..",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
        }
    }
}

impl BinExpr {
    pub fn lhs(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }

    /// The right operand: the operand after the operator token.
    pub fn rhs(&self) -> Option<Expr> {
        let op = self.op_token()?;
        op.siblings_with_tokens(rowan::Direction::Next).filter_map(|e| e.into_node()).find_map(Expr::cast)
    }

    pub fn op_token(&self) -> Option<SyntaxToken> {
        token(&self.syntax, |k| matches!(k, PLUS | MINUS | STAR | SLASH | DOT2 | LT | LE | GT | GE | EQ2 | NEQ))
    }

    pub fn op(&self) -> Option<BinOp> {
        Some(match self.op_token()?.kind() {
            PLUS => BinOp::Add,
            MINUS => BinOp::Sub,
            STAR => BinOp::Mul,
            SLASH => BinOp::Div,
            DOT2 => BinOp::Range,
            LT => BinOp::Lt,
            LE => BinOp::Le,
            GT => BinOp::Gt,
            GE => BinOp::Ge,
            EQ2 => BinOp::Eq,
            _ => BinOp::Ne,
        })
    }
}

impl PrefixExpr {
    pub fn operand(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}
