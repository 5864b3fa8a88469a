//! A value as read, owned or borrowed from a part.

use serde::{Deserialize, Serialize};

/// A value as read. An ambiguous number ("1.957": 1957 or 1,957) holds the
/// reading the reader chose; its finding names both.
///
/// 16 bytes: a million observations hold a million of these, so a text
/// value (rare: text indicators only) sits behind one thin pointer.
#[allow(clippy::box_collection)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Number(f64),
    Text(Box<String>),
}

impl Value {
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(value) => Some(*value),
            Value::Text(_) => None,
        }
    }

    pub fn text(text: impl Into<String>) -> Value {
        Value::Text(Box::new(text.into()))
    }
}

/// A value as it is read from a part, its text borrowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValueRef<'a> {
    Number(f64),
    Text(&'a str),
}

impl<'a> ValueRef<'a> {
    pub fn of(value: &'a Value) -> ValueRef<'a> {
        match value {
            Value::Number(n) => ValueRef::Number(*n),
            Value::Text(t) => ValueRef::Text(t),
        }
    }

    pub fn number(self) -> Option<f64> {
        match self {
            ValueRef::Number(n) => Some(n),
            ValueRef::Text(_) => None,
        }
    }

    pub fn to_value(self) -> Value {
        match self {
            ValueRef::Number(n) => Value::Number(n),
            ValueRef::Text(t) => Value::text(t),
        }
    }
}

impl PartialEq<Value> for ValueRef<'_> {
    fn eq(&self, other: &Value) -> bool {
        *self == ValueRef::of(other)
    }
}
