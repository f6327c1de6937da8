//! `spin:postgres/postgres@4.0.0` over `tokio-postgres`, as Spin 3.x does it:
//! one `deadpool` pool of up to 64 connections per address, each connection
//! reset (`RecyclingMethod::Clean`) when it is checked out, and the same
//! conversion table between Postgres types and WIT values, including its
//! limits (a `timestamptz` column is read as a `timestamp`, which
//! `tokio-postgres` refuses: select such columns as text or epoch numbers).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::BytesMut;
use chrono::{Datelike, Timelike};
use tokio_postgres::config::SslMode;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{NoTls, Row};
use wasmtime::component::Resource;

use crate::bindings::spin_host::spin::postgres::postgres::{
    self as pg, Column, DbDataType, DbValue, ParameterValue, RowSet,
};
use crate::state::State;

const POOL_SIZE: usize = 64;
/// How long to wait for a connection before answering `connection-failed`,
/// so a database outage turns into a quick error instead of a hung request.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The guest's handle: one pooled connection, returned to its pool on drop.
pub struct PgConnection {
    client: deadpool_postgres::Object,
}

/// Pools shared by every instance of every component, keyed by address.
#[derive(Clone, Default)]
pub struct Pools {
    pools: Arc<Mutex<HashMap<String, deadpool_postgres::Pool>>>,
}

impl Pools {
    fn pool(
        &self,
        address: &str,
        config: tokio_postgres::Config,
    ) -> Result<deadpool_postgres::Pool, String> {
        let mut pools = self
            .pools
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(pool) = pools.get(address) {
            return Ok(pool.clone());
        }
        let manager = deadpool_postgres::Manager::from_config(
            config,
            NoTls,
            deadpool_postgres::ManagerConfig {
                recycling_method: deadpool_postgres::RecyclingMethod::Clean,
            },
        );
        let pool = deadpool_postgres::Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| format!("cannot build a connection pool: {e}"))?;
        pools.insert(address.to_owned(), pool.clone());
        Ok(pool)
    }
}

impl pg::Host for State {}

impl pg::HostConnection for State {
    async fn open(
        &mut self,
        address: String,
    ) -> wasmtime::Result<Result<Resource<PgConnection>, pg::Error>> {
        let client = match self.connect(&address).await {
            Ok(client) => client,
            Err(message) => return Ok(Err(pg::Error::ConnectionFailed(message))),
        };
        Ok(Ok(self.table.push(PgConnection { client })?))
    }

    async fn query(
        &mut self,
        connection: Resource<PgConnection>,
        statement: String,
        params: Vec<ParameterValue>,
    ) -> wasmtime::Result<Result<RowSet, pg::Error>> {
        let client = &self.table.get(&connection)?.client;
        let params = match to_sql_parameters(&params) {
            Ok(params) => params,
            Err(message) => return Ok(Err(pg::Error::BadParameter(message))),
        };
        let rows = match client.query(&statement, &as_refs(&params)).await {
            Ok(rows) => rows,
            Err(e) => return Ok(Err(query_failed(e))),
        };
        // Like Spin, describe columns from the first row: an empty result has none.
        let columns = rows
            .first()
            .map(|row| {
                row.columns()
                    .iter()
                    .map(|c| Column {
                        name: c.name().to_owned(),
                        data_type: data_type(c.type_()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let converted = rows.iter().map(convert_row).collect::<Result<Vec<_>, _>>();
        Ok(match converted {
            Ok(rows) => Ok(RowSet { columns, rows }),
            Err(message) => Err(pg::Error::QueryFailed(pg::QueryError::Text(message))),
        })
    }

    async fn execute(
        &mut self,
        connection: Resource<PgConnection>,
        statement: String,
        params: Vec<ParameterValue>,
    ) -> wasmtime::Result<Result<u64, pg::Error>> {
        let client = &self.table.get(&connection)?.client;
        let params = match to_sql_parameters(&params) {
            Ok(params) => params,
            Err(message) => return Ok(Err(pg::Error::ValueConversionFailed(message))),
        };
        Ok(client
            .execute(&statement, &as_refs(&params))
            .await
            .map_err(query_failed))
    }

    async fn drop(&mut self, connection: Resource<PgConnection>) -> wasmtime::Result<()> {
        self.table.delete(connection)?;
        Ok(())
    }
}

impl State {
    async fn connect(&mut self, address: &str) -> Result<deadpool_postgres::Object, String> {
        let config: tokio_postgres::Config = address
            .parse()
            .map_err(|e| format!("invalid Postgres address: {e}"))?;
        let port = config.get_ports().first().copied().unwrap_or(5432);
        for host in config.get_hosts() {
            let host = match host {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            if !self.component.allowed_hosts.allows("postgres", &host, port) {
                return Err(format!(
                    "address postgres://{host}:{port} is not permitted by allowed_outbound_hosts"
                ));
            }
        }
        if config.get_ssl_mode() != SslMode::Disable {
            // Spin verifies a server certificate here; this host has no TLS
            // stack, so it refuses rather than silently connecting in clear.
            return Err(
                "this host connects only with sslmode=disable; TLS (the default) needs a real Spin"
                    .into(),
            );
        }
        let pool = self.component.pools.pool(address, config)?;
        pool.get().await.map_err(|e| with_causes(&e))
    }
}

/// `error` and its sources on one line: the pool's own message says little
/// ("error occurred while creating a new object"), the server's says why.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}

fn as_refs(params: &[Box<dyn ToSql + Send + Sync>]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

fn query_failed(error: tokio_postgres::Error) -> pg::Error {
    let as_text = format!("{error:?}");
    pg::Error::QueryFailed(match error.as_db_error() {
        None => pg::QueryError::Text(as_text),
        Some(db) => {
            let extras = [
                ("column", db.column()),
                ("constraint", db.constraint()),
                ("table", db.table()),
                ("schema", db.schema()),
                ("datatype", db.datatype()),
                ("hint", db.hint()),
                ("where_", db.where_()),
                ("routine", db.routine()),
            ]
            .into_iter()
            .filter_map(|(name, value)| Some((name.to_owned(), value?.to_owned())))
            .collect();
            pg::QueryError::DbError(pg::DbError {
                as_text,
                severity: db.severity().to_owned(),
                code: db.code().code().to_owned(),
                message: db.message().to_owned(),
                detail: db.detail().map(str::to_owned),
                extras,
            })
        }
    })
}

fn data_type(ty: &Type) -> DbDataType {
    match *ty {
        Type::BOOL => DbDataType::Boolean,
        Type::BYTEA => DbDataType::Binary,
        Type::FLOAT4 => DbDataType::Floating32,
        Type::FLOAT8 => DbDataType::Floating64,
        Type::INT2 => DbDataType::Int16,
        Type::INT4 => DbDataType::Int32,
        Type::INT8 => DbDataType::Int64,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR => DbDataType::Str,
        Type::TIMESTAMP | Type::TIMESTAMPTZ => DbDataType::Datetime,
        Type::DATE => DbDataType::Date,
        Type::TIME => DbDataType::Time,
        Type::UUID => DbDataType::Uuid,
        Type::JSONB => DbDataType::Jsonb,
        Type::NUMERIC => DbDataType::Decimal,
        Type::INT4_RANGE => DbDataType::RangeInt32,
        Type::INT8_RANGE => DbDataType::RangeInt64,
        Type::NUM_RANGE => DbDataType::RangeDecimal,
        Type::INT4_ARRAY => DbDataType::ArrayInt32,
        Type::INT8_ARRAY => DbDataType::ArrayInt64,
        Type::NUMERIC_ARRAY => DbDataType::ArrayDecimal,
        Type::TEXT_ARRAY | Type::VARCHAR_ARRAY | Type::BPCHAR_ARRAY => DbDataType::ArrayStr,
        Type::INTERVAL => DbDataType::Interval,
        _ => DbDataType::Other(ty.name().to_owned()),
    }
}

fn convert_row(row: &Row) -> Result<Vec<DbValue>, String> {
    (0..row.len())
        .map(|index| convert_value(row, index).map_err(|e| format!("{e:?}")))
        .collect()
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

fn get<'a, T: FromSql<'a>>(
    row: &'a Row,
    index: usize,
    wrap: impl FnOnce(T) -> DbValue,
) -> Result<DbValue, BoxError> {
    Ok(row
        .try_get::<_, Option<T>>(index)?
        .map_or(DbValue::DbNull, wrap))
}

fn convert_value(row: &Row, index: usize) -> Result<DbValue, BoxError> {
    match *row.columns()[index].type_() {
        Type::BOOL => get(row, index, DbValue::Boolean),
        Type::BYTEA => get(row, index, DbValue::Binary),
        Type::FLOAT4 => get(row, index, DbValue::Floating32),
        Type::FLOAT8 => get(row, index, DbValue::Floating64),
        Type::INT2 => get(row, index, DbValue::Int16),
        Type::INT4 => get(row, index, DbValue::Int32),
        Type::INT8 => get(row, index, DbValue::Int64),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR => get(row, index, DbValue::Str),
        // Deliberately `NaiveDateTime` for both, as Spin does (see module docs).
        Type::TIMESTAMP | Type::TIMESTAMPTZ => get(row, index, |v: chrono::NaiveDateTime| {
            DbValue::Datetime((
                v.year(),
                v.month() as u8,
                v.day() as u8,
                v.hour() as u8,
                v.minute() as u8,
                v.second() as u8,
                v.nanosecond(),
            ))
        }),
        Type::DATE => get(row, index, |v: chrono::NaiveDate| {
            DbValue::Date((v.year(), v.month() as u8, v.day() as u8))
        }),
        Type::TIME => get(row, index, |v: chrono::NaiveTime| {
            DbValue::Time((
                v.hour() as u8,
                v.minute() as u8,
                v.second() as u8,
                v.nanosecond(),
            ))
        }),
        Type::UUID => get(row, index, |v: uuid::Uuid| DbValue::Uuid(v.to_string())),
        Type::JSONB => get(row, index, |v: serde_json::Value| {
            DbValue::Jsonb(v.to_string().into_bytes())
        }),
        Type::NUMERIC => get(row, index, |v: rust_decimal::Decimal| {
            DbValue::Decimal(v.to_string())
        }),
        Type::INT4_RANGE => get(row, index, |v: postgres_range::Range<i32>| {
            DbValue::RangeInt32(range_to_wit(&v))
        }),
        Type::INT8_RANGE => get(row, index, |v: postgres_range::Range<i64>| {
            DbValue::RangeInt64(range_to_wit(&v))
        }),
        Type::INT4_ARRAY => get(row, index, DbValue::ArrayInt32),
        Type::INT8_ARRAY => get(row, index, DbValue::ArrayInt64),
        Type::NUMERIC_ARRAY => get(row, index, |v: Vec<Option<rust_decimal::Decimal>>| {
            DbValue::ArrayDecimal(v.into_iter().map(|d| d.map(|d| d.to_string())).collect())
        }),
        Type::TEXT_ARRAY | Type::VARCHAR_ARRAY | Type::BPCHAR_ARRAY => {
            get(row, index, DbValue::ArrayStr)
        }
        Type::INTERVAL => get(row, index, |v: Interval| DbValue::Interval(v.0)),
        _ => get(row, index, |v: RawValue| DbValue::Unsupported(v.0)),
    }
}

type WitRange<T> = (
    Option<(T, pg::RangeBoundKind)>,
    Option<(T, pg::RangeBoundKind)>,
);

fn range_to_wit<T: Copy + postgres_range::Normalizable + PartialOrd>(
    range: &postgres_range::Range<T>,
) -> WitRange<T> {
    fn kind(bound: postgres_range::BoundType) -> pg::RangeBoundKind {
        match bound {
            postgres_range::BoundType::Inclusive => pg::RangeBoundKind::Inclusive,
            postgres_range::BoundType::Exclusive => pg::RangeBoundKind::Exclusive,
        }
    }
    (
        range.lower().map(|b| (b.value, kind(b.type_))),
        range.upper().map(|b| (b.value, kind(b.type_))),
    )
}

fn range_from_wit<T: postgres_range::Normalizable + PartialOrd>(
    (lower, upper): WitRange<T>,
) -> postgres_range::Range<T> {
    fn kind(bound: pg::RangeBoundKind) -> postgres_range::BoundType {
        match bound {
            pg::RangeBoundKind::Inclusive => postgres_range::BoundType::Inclusive,
            pg::RangeBoundKind::Exclusive => postgres_range::BoundType::Exclusive,
        }
    }
    postgres_range::Range::new(
        lower.map(|(v, k)| postgres_range::RangeBound::new(v, kind(k))),
        upper.map(|(v, k)| postgres_range::RangeBound::new(v, kind(k))),
    )
}

fn to_sql_parameters(
    params: &[ParameterValue],
) -> Result<Vec<Box<dyn ToSql + Send + Sync>>, String> {
    params.iter().map(to_sql_parameter).collect()
}

fn to_sql_parameter(value: &ParameterValue) -> Result<Box<dyn ToSql + Send + Sync>, String> {
    Ok(match value {
        ParameterValue::Boolean(v) => Box::new(*v),
        ParameterValue::Int8(v) => Box::new(*v),
        ParameterValue::Int16(v) => Box::new(*v),
        ParameterValue::Int32(v) => Box::new(*v),
        ParameterValue::Int64(v) => Box::new(*v),
        ParameterValue::Floating32(v) => Box::new(*v),
        ParameterValue::Floating64(v) => Box::new(*v),
        ParameterValue::Str(v) => Box::new(v.clone()),
        ParameterValue::Binary(v) => Box::new(v.clone()),
        ParameterValue::Date((y, m, d)) => Box::new(date(*y, *m, *d)?),
        ParameterValue::Time((h, m, s, ns)) => Box::new(time(*h, *m, *s, *ns)?),
        ParameterValue::Datetime((y, mo, d, h, mi, s, ns)) => Box::new(chrono::NaiveDateTime::new(
            date(*y, *mo, *d)?,
            time(*h, *mi, *s, *ns)?,
        )),
        ParameterValue::Timestamp(seconds) => Box::new(
            chrono::DateTime::<chrono::Utc>::from_timestamp(*seconds, 0)
                .ok_or_else(|| format!("invalid epoch timestamp {seconds}"))?,
        ),
        ParameterValue::Uuid(v) => {
            Box::new(uuid::Uuid::parse_str(v).map_err(|e| format!("invalid UUID {v}: {e}"))?)
        }
        ParameterValue::Jsonb(v) => Box::new(
            serde_json::from_slice::<serde_json::Value>(v)
                .map_err(|e| format!("invalid JSON: {e}"))?,
        ),
        ParameterValue::Decimal(v) => Box::new(decimal(v)?),
        ParameterValue::RangeInt32(v) => Box::new(range_from_wit(*v)),
        ParameterValue::RangeInt64(v) => Box::new(range_from_wit(*v)),
        ParameterValue::RangeDecimal(_) => {
            return Err("decimal ranges are not supported by this host".into());
        }
        ParameterValue::ArrayInt32(v) => Box::new(v.clone()),
        ParameterValue::ArrayInt64(v) => Box::new(v.clone()),
        ParameterValue::ArrayDecimal(v) => Box::new(
            v.iter()
                .map(|d| d.as_deref().map(decimal).transpose())
                .collect::<Result<Vec<_>, _>>()?,
        ),
        ParameterValue::ArrayStr(v) => Box::new(v.clone()),
        ParameterValue::Interval(v) => Box::new(Interval(*v)),
        ParameterValue::DbNull => Box::new(Null),
    })
}

fn date(year: i32, month: u8, day: u8) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::from_ymd_opt(year, month.into(), day.into())
        .ok_or_else(|| format!("invalid date {year}-{month}-{day}"))
}

fn time(hour: u8, minute: u8, second: u8, nanos: u32) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::from_hms_nano_opt(hour.into(), minute.into(), second.into(), nanos)
        .ok_or_else(|| format!("invalid time {hour}:{minute}:{second}.{nanos}"))
}

fn decimal(text: &str) -> Result<rust_decimal::Decimal, String> {
    rust_decimal::Decimal::from_str_exact(text).map_err(|e| format!("invalid decimal {text}: {e}"))
}

/// SQL NULL for a parameter of any type.
#[derive(Debug)]
struct Null;

impl ToSql for Null {
    fn to_sql(&self, _: &Type, _: &mut BytesMut) -> Result<IsNull, BoxError> {
        Ok(IsNull::Yes)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    to_sql_checked!();
}

/// Postgres `interval` in its binary form: microseconds, days, months.
#[derive(Debug)]
struct Interval(pg::Interval);

impl ToSql for Interval {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        out.extend_from_slice(&self.0.micros.to_be_bytes());
        out.extend_from_slice(&self.0.days.to_be_bytes());
        out.extend_from_slice(&self.0.months.to_be_bytes());
        Ok(IsNull::No)
    }
    fn accepts(ty: &Type) -> bool {
        *ty == Type::INTERVAL
    }
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Interval {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let raw: &[u8; 16] = raw.try_into().map_err(|_| "an interval is 16 bytes")?;
        let (micros, rest) = raw.split_at(8);
        let (days, months) = rest.split_at(4);
        Ok(Self(pg::Interval {
            micros: i64::from_be_bytes(micros.try_into()?),
            days: i32::from_be_bytes(days.try_into()?),
            months: i32::from_be_bytes(months.try_into()?),
        }))
    }
    fn accepts(ty: &Type) -> bool {
        *ty == Type::INTERVAL
    }
}

/// Any other type: its raw binary value, as Spin's `unsupported`.
struct RawValue(Vec<u8>);

impl<'a> FromSql<'a> for RawValue {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Self(raw.to_vec()))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}
