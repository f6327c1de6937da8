//! Manual order. Rows ordered by hand (projects, sections, tasks) take their
//! `position` from one sequence, spaced by [`GAP`]: a new row sorts after
//! every sibling without reading them, and a move writes only the moved row,
//! at the midpoint of its new neighbours. When two neighbours have no integer
//! left between them the siblings are respaced once, in one statement, with
//! fresh sequence values (so rows created later still sort last).

use crate::{Db, ParameterValue, Result};

/// The space a new position leaves before the next one.
pub const GAP: i64 = 65_536;

/// Where a row goes among its siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// After every sibling.
    Last,
    /// Before every sibling.
    First,
    /// Right after this sibling.
    After(i64),
}

impl Place {
    /// A request's `after`: absent is the end, `null` the start.
    pub fn from_after(after: Option<Option<i64>>) -> Self {
        match after {
            None => Place::Last,
            Some(None) => Place::First,
            Some(Some(id)) => Place::After(id),
        }
    }
}

/// A row's siblings: `table` rows matching `condition`, whose parameters are
/// `params` (numbered from `$1`). The row being placed is left out of them.
pub struct Siblings<'a> {
    pub table: &'static str,
    pub condition: &'a str,
    pub params: Vec<ParameterValue>,
}

/// `Place::After` named a row that is not a sibling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotASibling;

impl Siblings<'_> {
    /// `FROM` text for the siblings as `alias`, leaving out `$n`, the moving row.
    fn scope(&self, alias: &str, n: usize) -> String {
        format!(
            "{table} {alias} WHERE {condition} AND {alias}.id <> ${n}",
            table = self.table,
            condition = self.condition,
        )
    }

    fn one_number(db: &Db, sql: &str, params: &[ParameterValue]) -> Result<Option<i64>> {
        let rows = db.query(sql, params)?;
        match rows.first() {
            Some(row) => row.get::<Option<i64>>("n"),
            None => Ok(None),
        }
    }

    fn fresh(db: &Db) -> Result<i64> {
        Ok(Self::one_number(
            db,
            &format!("SELECT nextval('positions') * {GAP} AS n"),
            &[],
        )?
        .unwrap_or(GAP))
    }

    /// The position `moving` takes at `place`. Call inside the transaction
    /// that writes it.
    pub fn position(
        &self,
        db: &Db,
        moving: i64,
        place: Place,
    ) -> Result<std::result::Result<i64, NotASibling>> {
        let mut params = self.params.clone();
        params.push(ParameterValue::Int64(moving));
        let moving_n = params.len();
        let after = match place {
            Place::Last => return Self::fresh(db).map(Ok),
            Place::First => {
                let sql = format!(
                    "SELECT min(s.position) AS n FROM {}",
                    self.scope("s", moving_n)
                );
                return match Self::one_number(db, &sql, &params)? {
                    Some(first) => Ok(Ok(first - GAP)),
                    None => Self::fresh(db).map(Ok),
                };
            }
            Place::After(id) => id,
        };
        params.push(ParameterValue::Int64(after));
        let after_n = params.len();
        let sql = format!(
            "SELECT a.position AS n,
                    (SELECT s.position FROM {next} AND (s.position, s.id) > (a.position, a.id)
                     ORDER BY s.position, s.id LIMIT 1) AS next
             FROM {table} a WHERE a.id = ${after_n} AND a.id IN (SELECT s.id FROM {all})",
            next = self.scope("s", moving_n),
            all = self.scope("s", moving_n),
            table = self.table,
        );
        let mut respaced = false;
        loop {
            let neighbours = db.query(&sql, &params)?;
            let Some(row) = neighbours.first() else {
                return Ok(Err(NotASibling));
            };
            let before: i64 = row.get("n")?;
            match row.get::<Option<i64>>("next")? {
                None => return Self::fresh(db).map(Ok),
                Some(next) if next - before >= 2 || respaced => {
                    return Ok(Ok(before + (next - before) / 2));
                }
                Some(_) => {
                    self.respace(db, &params[..moving_n], moving_n)?;
                    respaced = true;
                }
            }
        }
    }

    /// Spreads the siblings out again, keeping their order.
    fn respace(&self, db: &Db, params: &[ParameterValue], moving_n: usize) -> Result<()> {
        db.execute(
            &format!(
                "UPDATE {table} r SET position = spaced.position
                 FROM (SELECT id, nextval('positions') * {GAP} AS position
                       FROM (SELECT s.id FROM {siblings} ORDER BY s.position, s.id) ordered) spaced
                 WHERE r.id = spaced.id",
                table = self.table,
                siblings = self.scope("s", moving_n),
            ),
            params,
        )?;
        Ok(())
    }
}
