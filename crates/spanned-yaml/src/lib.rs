//! YAML → serde loader that reports every problem in a file at once, each with
//! its line and column.
//!
//! Pipelines are hand-written YAML, so a user who made three mistakes should see
//! three messages in one run instead of fixing them one run at a time.
//! Loading happens in two steps:
//!
//! 1. [`parse`] turns the text into a tree of [`Node`]s that remember where they
//!    start (saphyr-parser does the YAML work).
//! 2. [`from_str`] deserializes that tree with a serde `Deserializer` of our own.
//!    When serde reports an error, the node it happened at is recorded together
//!    with the message and marked *poisoned*, and the whole deserialization is
//!    retried. Maps and sequences leave poisoned entries out, so every retry gets
//!    further, until it succeeds or nothing new turns up.
//!
//! [`Spanned`] lets a deserialized value carry the position it came from, for
//! checks that run after deserialization.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::slice;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Tag};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde::{Deserialize, Deserializer};

/// A position in the source, both 1-based, as an editor shows them.
/// Columns count characters, not bytes, so Japanese text lines up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// One thing wrong with the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

/// A node of the YAML tree with the position where it starts.
///
/// A block mapping starts at its first key, a flow collection at its bracket,
/// a block sequence at its first `-` (or, for a sequence written at the same
/// indentation as its parent key, at its first item).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// The text of a scalar, with quotes and escapes already resolved.
    Scalar(String),
    Seq(Vec<Node>),
    /// Entries in file order.
    Map(Vec<(Node, Node)>),
    /// An empty value, or an unquoted `~` / `null`.
    Null,
}

/// Parses YAML into a tree. The error is the parser's first syntax error, or a
/// construct this loader refuses: anchors, aliases, tags other than `!!str`,
/// several documents, nesting deeper than [`MAX_DEPTH`].
///
/// Duplicate keys are not reported here; [`from_str`] reports them.
///
/// # Errors
/// The first syntax error or refused construct, with its position.
pub fn parse(src: &str) -> Result<Node, Problem> {
    build(src).map(|tree| tree.root)
}

/// Parses and deserializes `src`; `Ok` only when there is no problem at all.
///
/// # Errors
/// Every problem found, sorted by position: a syntax error alone, or else all
/// duplicate keys, unknown keys, wrongly typed values and missing keys.
pub fn from_str<T: DeserializeOwned>(src: &str) -> Result<T, Vec<Problem>> {
    match from_str_partial(src) {
        (Some(value), problems) if problems.is_empty() => Ok(value),
        (_, problems) => Err(problems),
    }
}

/// Like [`from_str`], but also gives the value deserialized with the bad nodes left out,
/// when there is one, so that a second stage can check the rest and report its problems
/// in the same run.
pub fn from_str_partial<T: DeserializeOwned>(src: &str) -> (Option<T>, Vec<Problem>) {
    let tree = match build(src) {
        Ok(tree) => tree,
        Err(problem) => return (None, vec![problem]),
    };
    let mut value = None;
    let mut problems = Vec::new();
    let mut poisoned = HashSet::new();
    let node_count = survey(&tree.root, &mut problems, &mut poisoned);
    // Every failed attempt poisons one more node, so the number of attempts is
    // bounded by the node count; the cap only guards that reasoning.
    for _ in 0..=node_count {
        let root = De {
            node: &tree.root,
            explicit: &tree.explicit_strings,
            poisoned: &poisoned,
        };
        let error = match T::deserialize(root) {
            Ok(v) => {
                value = Some(v);
                break;
            }
            Err(error) => error,
        };
        let (id, pos) = error.at.unwrap_or((node_id(&tree.root), tree.root.pos));
        // A follow-on error only restates a problem already recorded. It is
        // recorded anyway when nothing else was, so that no failure goes silent.
        if error.kind != ErrorKind::FollowOn || problems.is_empty() {
            problems.push(Problem {
                pos,
                message: error.message,
            });
        }
        // Failing again at a node that is already poisoned means the next
        // attempt would fail the same way.
        if !poisoned.insert(id) {
            break;
        }
    }
    problems.sort_by(|a, b| a.pos.cmp(&b.pos).then_with(|| a.message.cmp(&b.message)));
    problems.dedup();
    (value, problems)
}

/// A value together with the position of the YAML node it came from.
///
/// Deserialized by another deserializer than this module's (or inside
/// `#[serde(untagged)]` / internally tagged enums, which serde buffers and so
/// strips of positions), `pos` is `Pos::default()`, i.e. `0:0`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spanned<T> {
    pub pos: Pos,
    pub value: T,
}

impl<T> Spanned<T> {
    /// A value that comes from no file position: a default the code supplies.
    pub fn unplaced(value: T) -> Spanned<T> {
        Spanned { pos: Pos::default(), value }
    }
}

/// Ordered by value first, so that maps keyed by spanned names sort by name.
impl<T: Ord> PartialOrd for Spanned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> Ord for Spanned<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value).then_with(|| self.pos.cmp(&other.pos))
    }
}

/// The name by which [`Spanned`] asks our deserializer for a position. Other
/// deserializers treat it as an ordinary newtype struct and hand over the value.
const SPANNED: &str = "$__torimatome_yaml_Spanned";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(SPANNED, SpannedVisitor(PhantomData))
    }
}

struct SpannedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value with its position")
    }

    /// Our deserializer answers with the sequence `(line, col, value)`.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let line = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let col = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        let value = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(2, &self))?;
        Ok(Spanned {
            pos: Pos { line, col },
            value,
        })
    }

    /// Any other deserializer treats us as a plain newtype: no position known.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Ok(Spanned {
            pos: Pos::default(),
            value: T::deserialize(d)?,
        })
    }
}

// ---------------------------------------------------------------------------
// Building the tree
// ---------------------------------------------------------------------------

/// Deeper input is refused: the tree, its `Drop` and serde all recurse, and a
/// hostile file must not overflow the stack. Real pipelines nest a handful.
pub const MAX_DEPTH: usize = 128;

struct Tree {
    root: Node,
    /// Positions of scalars that are strings whatever they look like (quoted,
    /// `|`/`>` blocks, `!!str`). Kept beside the tree so that [`Node`] stays the
    /// plain shape the second stage matches on. A position identifies such a
    /// scalar because each one starts with its own quote/indicator character;
    /// only an empty plain scalar has zero width, and that one is `Null`.
    explicit_strings: BTreeSet<Pos>,
}

/// A collection whose end event has not been seen yet.
enum Open {
    Seq(Vec<Node>),
    /// The key waits here until its value is complete.
    Map(Vec<(Node, Node)>, Option<Node>),
}

fn build(src: &str) -> Result<Tree, Problem> {
    // An explicit stack instead of recursion, so depth is only limited by
    // MAX_DEPTH, checked below.
    let mut open: Vec<(Pos, Open)> = Vec::new();
    let mut root = None;
    let mut documents = 0;
    let mut explicit_strings = BTreeSet::new();
    for event in Parser::new_from_str(src) {
        let (event, span) = event.map_err(|e| problem(pos_of(e.marker()), e.info()))?;
        let pos = pos_of(&span.start);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(problem(pos, "a file must hold a single YAML document"));
                }
                continue;
            }
            Event::Alias(_) => return Err(no_anchors(pos)),
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 {
                    return Err(no_anchors(pos));
                }
                let explicit = match tag {
                    None => style != ScalarStyle::Plain,
                    Some(tag) if tag.is_yaml_core_schema() && tag.suffix == "str" => true,
                    Some(tag) => return Err(no_tags(pos, &tag)),
                };
                let kind = if !explicit && matches!(&*text, "" | "~" | "null" | "Null" | "NULL") {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar(text.into_owned())
                };
                if explicit {
                    explicit_strings.insert(pos);
                }
                Node { pos, kind }
            }
            Event::SequenceStart(anchor, tag) => {
                check_start(pos, anchor, tag.as_deref(), open.len())?;
                open.push((pos, Open::Seq(Vec::new())));
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                check_start(pos, anchor, tag.as_deref(), open.len())?;
                open.push((pos, Open::Map(Vec::new(), None)));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some((pos, Open::Seq(items))) => Node {
                    pos,
                    kind: NodeKind::Seq(items),
                },
                Some((pos, Open::Map(entries, None))) => Node {
                    pos,
                    kind: NodeKind::Map(entries),
                },
                // The parser balances starts and ends and gives every key a
                // value; report rather than trust that blindly.
                _ => return Err(problem(pos, "unbalanced YAML structure")),
            },
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {
                continue;
            }
        };
        match open.last_mut() {
            None => root = Some(node),
            Some((_, Open::Seq(items))) => items.push(node),
            Some((_, Open::Map(entries, pending))) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }
    if let Some((pos, _)) = open.first() {
        return Err(problem(*pos, "unexpected end of input"));
    }
    Ok(Tree {
        // A file with no document (empty, or only comments) is one null value.
        root: root.unwrap_or(Node {
            pos: Pos { line: 1, col: 1 },
            kind: NodeKind::Null,
        }),
        explicit_strings,
    })
}

/// saphyr counts lines from 1 but columns from 0, both in characters.
fn pos_of(marker: &Marker) -> Pos {
    Pos {
        line: marker.line(),
        col: marker.col() + 1,
    }
}

fn problem(pos: Pos, message: &str) -> Problem {
    Problem {
        pos,
        message: message.to_owned(),
    }
}

/// Refuses what a collection may not carry, and nesting beyond [`MAX_DEPTH`].
fn check_start(pos: Pos, anchor: usize, tag: Option<&Tag>, depth: usize) -> Result<(), Problem> {
    if anchor != 0 {
        return Err(no_anchors(pos));
    }
    if let Some(tag) = tag {
        return Err(no_tags(pos, tag));
    }
    if depth >= MAX_DEPTH {
        return Err(problem(
            pos,
            &format!("nesting deeper than {MAX_DEPTH} levels is not supported"),
        ));
    }
    Ok(())
}

fn no_anchors(pos: Pos) -> Problem {
    problem(pos, "anchors and aliases are not supported")
}

fn no_tags(pos: Pos, tag: &Tag) -> Problem {
    let shown = if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    };
    problem(pos, &format!("tag `{shown}` is not supported"))
}

/// Reports duplicate keys (poisoning the later key so that its entry is left
/// out and the first one wins) and returns the number of nodes.
fn survey(node: &Node, problems: &mut Vec<Problem>, poisoned: &mut HashSet<NodeId>) -> usize {
    match &node.kind {
        NodeKind::Seq(items) => {
            1 + items
                .iter()
                .map(|item| survey(item, problems, poisoned))
                .sum::<usize>()
        }
        NodeKind::Map(entries) => {
            let mut first_seen: HashMap<&str, Pos> = HashMap::new();
            let mut count = 1;
            for (key, value) in entries {
                if let NodeKind::Scalar(text) = &key.kind {
                    if let Some(first) = first_seen.get(text.as_str()) {
                        problems.push(Problem {
                            pos: key.pos,
                            message: format!("duplicate key `{text}` (first at {first})"),
                        });
                        poisoned.insert(node_id(key));
                    } else {
                        first_seen.insert(text, key.pos);
                    }
                }
                count += survey(key, problems, poisoned) + survey(value, problems, poisoned);
            }
            count
        }
        NodeKind::Scalar(_) | NodeKind::Null => 1,
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Nodes are told apart by address: the tree is neither moved nor changed
/// while the attempts run, and positions alone are not unique (a block map and
/// its first key start at the same place).
type NodeId = *const Node;

fn node_id(node: &Node) -> NodeId {
    std::ptr::from_ref(node)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorKind {
    Plain,
    /// Kept apart to recognise "missing key" caused by leaving out a bad entry.
    MissingField(&'static str),
    /// Kept apart to recognise a short tuple caused by leaving out a bad item.
    InvalidLength,
    /// A consequence of an earlier problem; poisons its node but is not shown.
    FollowOn,
}

#[derive(Debug)]
struct Error {
    message: String,
    /// The innermost node being deserialized when the error arose; `None`
    /// until the error leaves the first `De` method it passes through.
    at: Option<(NodeId, Pos)>,
    kind: ErrorKind,
}

impl Error {
    fn new(message: String, kind: ErrorKind) -> Self {
        Error {
            message,
            at: None,
            kind,
        }
    }

    fn located(mut self, node: &Node) -> Self {
        if self.at.is_none() {
            self.at = Some((node_id(node), node.pos));
        }
        self
    }

    /// Turns an error raised by the visitor of the current collection itself
    /// (not by a child, which would be located already) into a follow-on.
    fn follow_on_if(mut self, caused_by_skipping: bool) -> Self {
        if self.at.is_none() && caused_by_skipping {
            self.kind = ErrorKind::FollowOn;
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Error::new(message.to_string(), ErrorKind::Plain)
    }

    fn missing_field(field: &'static str) -> Self {
        Error::new(
            format!("missing key `{field}`"),
            ErrorKind::MissingField(field),
        )
    }

    fn invalid_length(len: usize, expected: &dyn Expected) -> Self {
        Error::new(
            format!("invalid length {len}, expected {expected}"),
            ErrorKind::InvalidLength,
        )
    }

    /// Says "key" rather than serde's "field": YAML users write keys.
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        let message = if expected.is_empty() {
            format!("unknown key `{field}`; no keys are allowed here")
        } else {
            let names: Vec<String> = expected.iter().map(|name| format!("`{name}`")).collect();
            format!(
                "unknown key `{field}`; expected one of {}",
                names.join(", ")
            )
        };
        Error::new(message, ErrorKind::Plain)
    }
}

// ---------------------------------------------------------------------------
// The deserializer
// ---------------------------------------------------------------------------

/// Deserializes one node. Copy: it is only three references.
#[derive(Clone, Copy)]
struct De<'t> {
    node: &'t Node,
    explicit: &'t BTreeSet<Pos>,
    poisoned: &'t HashSet<NodeId>,
}

/// What a node is, with plain scalars resolved the YAML 1.2 core-schema way.
enum Typed<'t> {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(&'t str),
    Seq,
    Map,
}

impl Typed<'_> {
    fn unexpected(&self) -> Unexpected<'_> {
        match *self {
            Typed::Null => Unexpected::Unit,
            Typed::Bool(b) => Unexpected::Bool(b),
            Typed::Unsigned(n) => Unexpected::Unsigned(n),
            Typed::Signed(n) => Unexpected::Signed(n),
            Typed::Float(x) => Unexpected::Float(x),
            Typed::Str(s) => Unexpected::Str(s),
            Typed::Seq => Unexpected::Seq,
            Typed::Map => Unexpected::Map,
        }
    }
}

fn resolve_plain(text: &str) -> Typed<'_> {
    match text {
        "true" | "True" | "TRUE" => return Typed::Bool(true),
        "false" | "False" | "FALSE" => return Typed::Bool(false),
        _ => {}
    }
    if let Some(int) = parse_int(text) {
        return int;
    }
    match parse_float(text) {
        Some(x) => Typed::Float(x),
        None => Typed::Str(text),
    }
}

/// `[-+]?[0-9]+`, `0x[0-9a-fA-F]+`, `0o[0-7]+`; `None` also when out of range,
/// so that a huge number is reported as the text it is.
fn parse_int(text: &str) -> Option<Typed<'_>> {
    let (radix, digits, negative) = if let Some(hex) = text.strip_prefix("0x") {
        (16, hex, false)
    } else if let Some(octal) = text.strip_prefix("0o") {
        (8, octal, false)
    } else if let Some(rest) = text.strip_prefix('-') {
        (10, rest, true)
    } else {
        (10, text.strip_prefix('+').unwrap_or(text), false)
    };
    // from_str_radix alone would also take a sign after the prefix.
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        0i64.checked_sub_unsigned(magnitude).map(Typed::Signed)
    } else {
        Some(Typed::Unsigned(magnitude))
    }
}

/// YAML 1.2 core-schema floats. Rust's own parser is only used after this
/// check because it also takes `inf`, `nan` and `infinity`, which are strings
/// in YAML.
fn parse_float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok =
        all_digits(whole) && all_digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && all_digits(digits)
    });
    if mantissa_ok && exponent_ok {
        text.parse().ok()
    } else {
        None
    }
}

impl<'t> De<'t> {
    fn at(self, node: &'t Node) -> De<'t> {
        De { node, ..self }
    }

    fn is_poisoned(&self, node: &Node) -> bool {
        self.poisoned.contains(&node_id(node))
    }

    /// Every `Deserializer` method runs through here. A poisoned node is only
    /// reached where it could not be left out (an enum payload, say); failing
    /// with a follow-on makes its parent the node that gets poisoned, which a
    /// map or sequence further up can then leave out. Errors are pinned to the
    /// innermost node they pass, so they point at the value that is wrong.
    fn guard<R>(self, f: impl FnOnce(Self) -> Result<R, Error>) -> Result<R, Error> {
        if self.is_poisoned(self.node) {
            return Err(Error::new(
                "follows from an earlier problem".to_owned(),
                ErrorKind::FollowOn,
            ));
        }
        f(self).map_err(|e| e.located(self.node))
    }

    fn typed(&self) -> Typed<'t> {
        match &self.node.kind {
            NodeKind::Null => Typed::Null,
            NodeKind::Seq(_) => Typed::Seq,
            NodeKind::Map(_) => Typed::Map,
            NodeKind::Scalar(text) if self.explicit.contains(&self.node.pos) => Typed::Str(text),
            NodeKind::Scalar(text) => resolve_plain(text),
        }
    }

    fn invalid(&self, expected: &dyn Expected) -> Error {
        de::Error::invalid_type(self.typed().unexpected(), expected)
    }

    fn integer<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.typed() {
            Typed::Unsigned(n) => visitor.visit_u64(n),
            Typed::Signed(n) => visitor.visit_i64(n),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn float<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.typed() {
            Typed::Float(x) => visitor.visit_f64(x),
            // Precision loss above 2^53 is what any YAML float has.
            Typed::Unsigned(n) => visitor.visit_f64(n as f64),
            Typed::Signed(n) => visitor.visit_f64(n as f64),
            _ => Err(self.invalid(&visitor)),
        }
    }

    /// Any scalar reads as a string in its written form, so `version: 1.10`
    /// stays "1.10" when a string is wanted.
    fn string<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Scalar(text) => visitor.visit_str(text),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn unit<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn seq<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        let NodeKind::Seq(items) = &self.node.kind else {
            return Err(self.invalid(&visitor));
        };
        let mut access = Items {
            de: self,
            items: items.iter(),
            skipped: false,
        };
        let value = visitor.visit_seq(&mut access).map_err(|e| match e.kind {
            ErrorKind::InvalidLength => e.follow_on_if(access.skipped),
            _ => e,
        })?;
        // Tuples and arrays stop reading at their length; more items than
        // that are a mistake, not something to drop silently.
        if access.items.any(|item| !self.is_poisoned(item)) {
            return Err(de::Error::custom(format!(
                "invalid length {}, expected fewer items",
                items.len()
            )));
        }
        Ok(value)
    }

    fn map<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        let NodeKind::Map(entries) = &self.node.kind else {
            return Err(self.invalid(&visitor));
        };
        let mut access = Entries {
            de: self,
            entries: entries.iter(),
            value: None,
            skipped_keys: Vec::new(),
        };
        visitor.visit_map(&mut access).map_err(|e| match e.kind {
            ErrorKind::MissingField(field) => {
                let skipped = access.skipped_keys.contains(&field);
                e.follow_on_if(skipped)
            }
            _ => e,
        })
    }

    fn enumeration<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Scalar(_) => visitor.visit_enum(Variant {
                de: self,
                name: self.node,
                payload: None,
            }),
            NodeKind::Map(entries) => match entries.as_slice() {
                [(name, payload)] => visitor.visit_enum(Variant {
                    de: self,
                    name,
                    payload: Some(payload),
                }),
                _ => Err(de::Error::custom(format!(
                    "expected {} as a map with a single key, the variant name; found {} keys",
                    &visitor as &dyn Expected,
                    entries.len()
                ))),
            },
            NodeKind::Seq(_) | NodeKind::Null => Err(self.invalid(&visitor)),
        }
    }
}

/// Methods whose whole body is one helper behind the guard.
macro_rules! via {
    ($helper:ident: $($method:ident)*) => {
        $(
            fn $method<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
                self.guard(|d| d.$helper(visitor))
            }
        )*
    };
}

impl<'t> Deserializer<'t> for De<'t> {
    type Error = Error;

    via!(integer: deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);
    via!(float: deserialize_f32 deserialize_f64);
    via!(string: deserialize_char deserialize_str deserialize_string deserialize_identifier);
    via!(unit: deserialize_unit);
    via!(seq: deserialize_seq);
    via!(map: deserialize_map);

    /// Guesses the type from the node, as `serde_json::Value`, untagged enums
    /// and the like need.
    fn deserialize_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        self.guard(|d| match d.typed() {
            Typed::Null => visitor.visit_unit(),
            Typed::Bool(b) => visitor.visit_bool(b),
            Typed::Unsigned(n) => visitor.visit_u64(n),
            Typed::Signed(n) => visitor.visit_i64(n),
            Typed::Float(x) => visitor.visit_f64(x),
            Typed::Str(s) => visitor.visit_str(s),
            Typed::Seq => d.seq(visitor),
            Typed::Map => d.map(visitor),
        })
    }

    fn deserialize_bool<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        self.guard(|d| match d.typed() {
            Typed::Bool(b) => visitor.visit_bool(b),
            _ => Err(d.invalid(&visitor)),
        })
    }

    /// YAML has no byte strings; a `serde_bytes` target gets what `any` finds.
    fn deserialize_bytes<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        self.guard(|d| match d.node.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(d),
        })
    }

    fn deserialize_unit_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'t>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.guard(|d| {
            if name == SPANNED {
                visitor.visit_seq(SpannedParts { de: d, next: 0 })
            } else {
                visitor.visit_newtype_struct(d)
            }
        })
    }

    fn deserialize_tuple<V: Visitor<'t>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// Unit variants from a scalar (`kind: sum`), the others from a map with
    /// a single key (`{ratio: {of: a}}`).
    fn deserialize_enum<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.guard(|d| d.enumeration(visitor))
    }

    /// Nothing to check in a value nobody wants.
    fn deserialize_ignored_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        self.guard(|_| visitor.visit_unit())
    }
}

/// Sequence items, leaving out poisoned ones.
struct Items<'t> {
    de: De<'t>,
    items: slice::Iter<'t, Node>,
    skipped: bool,
}

impl<'t> SeqAccess<'t> for Items<'t> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'t>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        for item in self.items.by_ref() {
            if self.de.is_poisoned(item) {
                self.skipped = true;
                continue;
            }
            return seed.deserialize(self.de.at(item)).map(Some);
        }
        Ok(None)
    }
}

/// Map entries, leaving out those whose key or value is poisoned.
struct Entries<'t> {
    de: De<'t>,
    entries: slice::Iter<'t, (Node, Node)>,
    /// The value of the key just handed out.
    value: Option<&'t Node>,
    /// Keys left out, to recognise the "missing key" that leaving them out causes.
    skipped_keys: Vec<&'t str>,
}

impl<'t> MapAccess<'t> for Entries<'t> {
    type Error = Error;

    fn next_key_seed<S: DeserializeSeed<'t>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        for (key, value) in self.entries.by_ref() {
            if self.de.is_poisoned(key) || self.de.is_poisoned(value) {
                if let NodeKind::Scalar(text) = &key.kind {
                    self.skipped_keys.push(text);
                }
                continue;
            }
            self.value = Some(value);
            return seed.deserialize(self.de.at(key)).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'t>>(&mut self, seed: S) -> Result<S::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(self.de.at(value)),
            // Only a visitor breaking serde's protocol gets here.
            None => Err(de::Error::custom(
                "a map value was asked for before its key",
            )),
        }
    }
}

/// An enum: `name` is the scalar naming the variant, `payload` its value when
/// written as `{name: payload}`.
struct Variant<'t> {
    de: De<'t>,
    name: &'t Node,
    payload: Option<&'t Node>,
}

impl<'t> Variant<'t> {
    fn payload(&self, expected: &str) -> Result<De<'t>, Error> {
        match self.payload {
            Some(payload) => Ok(self.de.at(payload)),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &expected)),
        }
    }
}

impl<'t> EnumAccess<'t> for Variant<'t> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'t>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let variant = seed.deserialize(self.de.at(self.name))?;
        Ok((variant, self))
    }
}

impl<'t> VariantAccess<'t> for Variant<'t> {
    type Error = Error;

    /// `{name: ~}` is accepted too; anything else as payload is reported there.
    fn unit_variant(self) -> Result<(), Error> {
        match self.payload {
            Some(payload) => <()>::deserialize(self.de.at(payload)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'t>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self.payload("newtype variant")?)
    }

    fn tuple_variant<V: Visitor<'t>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.payload("tuple variant")?.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'t>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.payload("struct variant")?.deserialize_map(visitor)
    }
}

/// What our deserializer hands to [`SpannedVisitor`]: line, column, value.
struct SpannedParts<'t> {
    de: De<'t>,
    next: usize,
}

impl<'t> SeqAccess<'t> for SpannedParts<'t> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'t>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        let pos = self.de.node.pos;
        self.next += 1;
        match self.next {
            1 => seed.deserialize(pos.line.into_deserializer()).map(Some),
            2 => seed.deserialize(pos.col.into_deserializer()).map(Some),
            3 => seed.deserialize(self.de).map(Some),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IgnoredAny;
    use std::collections::BTreeMap;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Cfg {
        name: String,
        #[serde(default)]
        inbox: Option<String>,
        sources: Vec<Source>,
        vocab: BTreeMap<String, Vec<String>>,
        period: Spanned<String>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Source {
        sheet: String,
        #[serde(default)]
        header_rows: u32,
        columns: BTreeMap<String, Vec<String>>,
    }

    /// Guesses every type through `deserialize_any` (serde buffers untagged
    /// enums that way).
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Any {
        Bool(bool),
        Int(i64),
        Float(f64),
        Str(String),
        Null(()),
        List(Vec<Any>),
        Map(BTreeMap<String, Any>),
    }

    /// What the user reads: `line:col: message` per problem.
    fn shown<T: DeserializeOwned + fmt::Debug>(src: &str) -> Vec<String> {
        match from_str::<T>(src) {
            Ok(value) => panic!("expected problems, got {value:?}"),
            Err(problems) => problems.iter().map(ToString::to_string).collect(),
        }
    }

    fn loaded<T: DeserializeOwned>(src: &str) -> T {
        from_str(src).unwrap_or_else(|problems| panic!("unexpected problems: {problems:?}"))
    }

    const CLEAN: &str = "\
name: 月次集計
sources:
  - sheet: 達成
    header_rows: 2
    columns:
      担当: [担当者, 担当者名]
  - sheet: 売上
    columns: {}
vocab:
  達成: [◎, 達成見込み]
period: 2024-04
";

    #[test]
    fn clean_file_loads() {
        let cfg: Cfg = loaded(CLEAN);
        assert_eq!(cfg.name, "月次集計");
        assert_eq!(cfg.inbox, None);
        assert_eq!(cfg.sources.len(), 2);
        assert_eq!(cfg.sources[0].sheet, "達成");
        assert_eq!(cfg.sources[0].header_rows, 2);
        assert_eq!(cfg.sources[0].columns["担当"], ["担当者", "担当者名"]);
        assert_eq!(cfg.sources[1].header_rows, 0);
        assert!(cfg.sources[1].columns.is_empty());
        assert_eq!(cfg.vocab["達成"], ["◎", "達成見込み"]);
        assert_eq!(cfg.period.value, "2024-04");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let src = "\
name: 月次集計
sources:
  - sheet: 達成
    header_rows: 2
    colums:
      担当: [担当者]
    columns: {}
  - sheet: 売上
    header_rows: many
    columns: {}
vocab:
  達成: [◎, 達成見込み]
period: 2024-04
extra: 1
";
        assert_eq!(
            shown::<Cfg>(src),
            [
                "5:5: unknown key `colums`; expected one of `sheet`, `header_rows`, `columns`",
                "9:18: invalid type: string \"many\", expected u32",
                "14:1: unknown key `extra`; expected one of `name`, `inbox`, `sources`, `vocab`, `period`",
            ]
        );
    }

    #[test]
    fn many_problems_in_one_map() {
        let mut src = String::from(CLEAN);
        for i in 0..30 {
            src += &format!("x{i}: 1\n");
        }
        let problems = from_str::<Cfg>(&src).unwrap_err();
        assert_eq!(problems.len(), 30);
        assert_eq!(problems[29].pos, Pos { line: 41, col: 1 });
    }

    #[test]
    fn missing_keys_are_reported_where_the_map_starts() {
        let src = "\
name: x
sources:
  - header_rows: 1
    columns: {}
period: p
";
        assert_eq!(
            shown::<Cfg>(src),
            ["1:1: missing key `vocab`", "3:5: missing key `sheet`"]
        );
        // A flow map starts at its brace.
        assert_eq!(
            shown::<Source>("{sheet: a}"),
            ["1:1: missing key `columns`"]
        );
    }

    #[test]
    fn a_wrongly_typed_key_is_not_also_missing() {
        let src = CLEAN.replace("sheet: 売上", "sheet: [売上]");
        assert_eq!(
            shown::<Cfg>(&src),
            ["7:12: invalid type: sequence, expected a string"]
        );
        let src = CLEAN.replace("period: 2024-04", "period: {from: 4}");
        assert_eq!(
            shown::<Cfg>(&src),
            ["11:9: invalid type: map, expected a string"]
        );
        // An optional key with a wrong value is reported once, then treated as absent.
        let src = format!("{CLEAN}inbox: [a]\n");
        assert_eq!(
            shown::<Cfg>(&src),
            ["12:8: invalid type: sequence, expected a string"]
        );
    }

    #[test]
    fn syntax_error_is_a_single_problem_at_the_parser_position() {
        let problems = from_str::<Cfg>("name: [a, b\nsheet: 1\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pos, Pos { line: 2, col: 6 });
        assert!(!problems[0].message.is_empty());
        assert_eq!(parse("a: 'open\n").unwrap_err().pos.line, 1);
    }

    #[test]
    fn japanese_keys_and_columns_in_characters() {
        let src = CLEAN.replace("達成: [◎, 達成見込み]", "達成: [◎, {見込み: 1}]");
        assert_eq!(
            shown::<Cfg>(&src),
            ["10:11: invalid type: map, expected a string"]
        );
        let tree = parse("達成度合い: {未達: x}\n").unwrap();
        let NodeKind::Map(entries) = tree.kind else {
            panic!("not a map: {tree:?}")
        };
        let NodeKind::Map(inner) = &entries[0].1.kind else {
            panic!("not a map: {entries:?}")
        };
        assert_eq!(inner[0].0.kind, NodeKind::Scalar("未達".into()));
        assert_eq!(inner[0].0.pos, Pos { line: 1, col: 9 });
        assert_eq!(inner[0].1.pos, Pos { line: 1, col: 13 });
    }

    #[test]
    fn spanned_knows_where_values_are() {
        #[derive(Deserialize)]
        struct Aliases {
            columns: Vec<Spanned<String>>,
            limit: Option<Spanned<u32>>,
        }
        let cfg: Cfg = loaded(CLEAN);
        assert_eq!(cfg.period.pos, Pos { line: 11, col: 9 });
        let aliases: Aliases = loaded("columns:\n  - 担当\n  - \"名前\"\nlimit: 3\n");
        let found: Vec<(Pos, &str)> = aliases
            .columns
            .iter()
            .map(|c| (c.pos, c.value.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Pos { line: 2, col: 5 }, "担当"),
                (Pos { line: 3, col: 5 }, "名前")
            ]
        );
        let limit = aliases.limit.unwrap();
        assert_eq!((limit.pos, limit.value), (Pos { line: 4, col: 8 }, 3));
        // A wrong value inside Spanned is reported at the value.
        assert_eq!(
            shown::<Vec<Spanned<u32>>>("- 1\n- x\n"),
            ["2:3: invalid type: string \"x\", expected u32"]
        );
    }

    #[test]
    fn spanned_from_other_deserializers_has_no_position_and_never_panics() {
        // serde buffers untagged enums and replays them with its own
        // deserializer, which treats Spanned as a plain newtype.
        #[derive(Deserialize, Debug, PartialEq)]
        #[serde(untagged)]
        enum Either {
            Number(u32),
            Text(Spanned<String>),
        }
        assert_eq!(
            loaded::<Either>("abc"),
            Either::Text(Spanned {
                pos: Pos::default(),
                value: "abc".into()
            })
        );
        // A deserializer without newtype support fails cleanly.
        let foreign = de::value::StrDeserializer::<de::value::Error>::new("abc");
        assert!(Spanned::<String>::deserialize(foreign).is_err());
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let src = CLEAN.replace("period: 2024-04", "period: 2024-04\nname: again");
        assert_eq!(
            shown::<Cfg>(&src),
            ["12:1: duplicate key `name` (first at 1:1)"]
        );
        let vocab: Result<BTreeMap<String, u8>, _> = from_str("a: 1\n'a': 2\n");
        assert_eq!(vocab.unwrap_err()[0].pos, Pos { line: 2, col: 1 });
    }

    #[test]
    fn plain_scalars_take_the_type_asked_for_and_quoted_ones_stay_strings() {
        #[derive(Deserialize, Debug)]
        struct Types {
            b: bool,
            i: i64,
            u: u8,
            f: f64,
            whole: f32,
            s: String,
            version: String,
            c: char,
            none: Option<u32>,
            empty: Option<String>,
            block: String,
        }
        let t: Types = loaded(
            "b: TRUE\ni: -12\nu: 0x1f\nf: 1.5e3\nwhole: 2\ns: 'true'\nversion: 1.10\n\
             c: é\nnone: ~\nempty:\nblock: |\n  line\n",
        );
        assert!(t.b);
        assert_eq!((t.i, t.u, t.f, t.whole), (-12, 31, 1500.0, 2.0));
        assert_eq!(
            (t.s.as_str(), t.version.as_str(), t.c),
            ("true", "1.10", 'é')
        );
        assert_eq!((t.none, t.empty), (None, None));
        assert_eq!(t.block, "line\n");

        assert_eq!(
            shown::<BTreeMap<String, u8>>("a: \"12\"\nb: 300\nc: 1.5\nd: !!str 7\n"),
            [
                "1:4: invalid type: string \"12\", expected u8",
                "2:4: invalid value: integer `300`, expected u8",
                "3:4: invalid type: floating point `1.5`, expected u8",
                "4:4: invalid type: string \"7\", expected u8",
            ]
        );
        // An empty value is placed at its `:` by the parser.
        assert_eq!(
            shown::<BTreeMap<String, String>>("a:\nb: null\n"),
            [
                "1:2: invalid type: unit value, expected a string",
                "2:4: invalid type: unit value, expected a string",
            ]
        );
    }

    #[test]
    fn deserialize_any_guesses() {
        use Any::{Bool, Float, Int, List, Map, Null, Str};
        assert_eq!(
            loaded::<Any>("[true, 12, -3, 1.5, .inf, abc, '12', ~, inf, {k: [x]}]"),
            List(vec![
                Bool(true),
                Int(12),
                Int(-3),
                Float(1.5),
                Float(f64::INFINITY),
                Str("abc".into()),
                Str("12".into()),
                Null(()),
                Str("inf".into()),
                Map(BTreeMap::from([("k".into(), List(vec![Str("x".into())]))])),
            ])
        );
    }

    #[test]
    fn enums() {
        #[derive(Deserialize, Debug, PartialEq)]
        #[serde(rename_all = "snake_case", deny_unknown_fields)]
        enum Agg {
            CountAll,
            Sum(String),
            Ratio { of: String, to: String },
        }
        assert_eq!(
            loaded::<Vec<Agg>>(
                "- count_all\n- {count_all: ~}\n- sum: 金額\n- ratio: {of: a, to: b}\n"
            ),
            [
                Agg::CountAll,
                Agg::CountAll,
                Agg::Sum("金額".into()),
                Agg::Ratio {
                    of: "a".into(),
                    to: "b".into()
                },
            ]
        );
        assert_eq!(
            shown::<Vec<Agg>>(
                "- count_al\n- {avg: x}\n- sum\n- {sum: [x]}\n- {count_all: 1}\n- {ratio: {of: a, to: b, by: c}}\n- {a: 1, b: 2}\n"
            ),
            [
                "1:3: unknown variant `count_al`, expected one of `count_all`, `sum`, `ratio`",
                "2:4: unknown variant `avg`, expected one of `count_all`, `sum`, `ratio`",
                "3:3: invalid type: unit variant, expected newtype variant",
                "4:9: invalid type: sequence, expected a string",
                "5:15: invalid type: integer `1`, expected unit",
                "6:26: unknown key `by`; expected one of `of`, `to`",
                "7:3: expected enum Agg as a map with a single key, the variant name; found 2 keys",
            ]
        );
    }

    #[test]
    fn unknown_keys_are_ignored_without_deny_unknown_fields() {
        #[derive(Deserialize, Debug)]
        struct Loose {
            name: String,
        }
        let loose: Loose = loaded("name: a\nextra: {deep: [1, {x: y}], 'q': [a, b]}\n");
        assert_eq!(loose.name, "a");
        loaded::<IgnoredAny>(CLEAN);
    }

    #[test]
    fn tuples_check_their_length() {
        #[derive(Deserialize, Debug)]
        struct Pair {
            pair: (u8, u8),
        }
        assert_eq!(loaded::<Pair>("pair: [1, 2]").pair, (1, 2));
        assert_eq!(
            shown::<Pair>("pair: [1, 2, 3]"),
            ["1:7: invalid length 3, expected fewer items"]
        );
        assert_eq!(
            shown::<Pair>("pair: [1]"),
            ["1:7: invalid length 1, expected a tuple of size 2"]
        );
        // The missing item caused by leaving out a bad one is not reported again.
        assert_eq!(
            shown::<Pair>("pair: [1, x]"),
            ["1:11: invalid type: string \"x\", expected u8"]
        );
    }

    #[test]
    fn refused_constructs() {
        let refused = |src: &str| parse(src).unwrap_err().to_string();
        assert_eq!(
            refused("a: &x 1\nb: *x\n"),
            "1:4: anchors and aliases are not supported"
        );
        assert_eq!(refused("a: !foo x\n"), "1:4: tag `!foo` is not supported");
        assert_eq!(
            refused("a: !!map {}\n"),
            "1:4: tag `!!map` is not supported"
        );
        assert_eq!(
            refused("a: 1\n---\na: 2\n"),
            "2:1: a file must hold a single YAML document"
        );
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(refused(&deep).contains("nesting deeper"));
        // Far too deep to recurse into: refused early, without overflowing.
        assert_eq!(
            from_str::<IgnoredAny>(&"[".repeat(1_000_000))
                .unwrap_err()
                .len(),
            1
        );
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        loaded::<IgnoredAny>(&ok);
    }

    #[test]
    fn empty_file_is_null() {
        assert_eq!(parse("# nothing\n").unwrap().kind, NodeKind::Null);
        assert_eq!(
            shown::<Cfg>(""),
            ["1:1: invalid type: unit value, expected struct Cfg"]
        );
    }

    #[test]
    fn no_input_prefix_panics() {
        let nasty = format!(
            "{CLEAN}x: &a [*a, !t 1, \"esc\\u00e9\\\", '']\n? [k]\n: {{a: [b, {{c: d}}]}}\nblock: >-\n  folded\n\tbad\n--- \n..."
        );
        let mut ends: Vec<usize> = nasty.char_indices().map(|(i, _)| i).collect();
        ends.push(nasty.len());
        for end in ends {
            let prefix = &nasty[..end];
            let _ = parse(prefix);
            let _ = from_str::<Cfg>(prefix);
            let _ = from_str::<Any>(prefix);
            let _ = from_str::<IgnoredAny>(prefix);
            let _ = from_str::<Vec<(u8, Spanned<String>)>>(prefix);
        }
    }
}
