use crate::Error;

/// Where the database is, read from the component's Spin variables
/// `db_host`, `db_port`, `db_name`, `db_user`, `db_password`, `db_sslmode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    pub name: String,
    pub user: String,
    pub password: String,
    pub sslmode: String,
}

const SSL_MODES: [&str; 3] = ["disable", "prefer", "require"];

impl Settings {
    pub fn from_variables() -> Result<Self, Error> {
        Self::from_lookup(|name| spin_sdk::variables::get(name).map_err(|e| e.to_string()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Result<String, String>) -> Result<Self, Error> {
        let var = |name: &str| get(name).map_err(|e| Error::Settings(format!("`{name}`: {e}")));
        let port = var("db_port")?;
        let settings = Self {
            host: var("db_host")?,
            port: port
                .parse()
                .map_err(|_| Error::Settings(format!("`db_port` is not a port number: {port}")))?,
            name: var("db_name")?,
            user: var("db_user")?,
            password: var("db_password")?,
            sslmode: var("db_sslmode")?,
        };
        if !SSL_MODES.contains(&settings.sslmode.as_str()) {
            return Err(Error::Settings(format!(
                "`db_sslmode` must be one of {SSL_MODES:?}, not {}",
                settings.sslmode
            )));
        }
        Ok(settings)
    }

    /// A libpq key/value connection string, with every value quoted so a
    /// password with spaces or quotes survives.
    pub fn address(&self) -> String {
        let quote = |value: &str| format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"));
        format!(
            "host={} port={} dbname={} user={} password={} sslmode={}",
            quote(&self.host),
            self.port,
            quote(&self.name),
            quote(&self.user),
            quote(&self.password),
            self.sslmode
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(
        overrides: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Result<String, String> {
        move |name| {
            let defaults = [
                ("db_host", "127.0.0.1"),
                ("db_port", "5432"),
                ("db_name", "taskspin"),
                ("db_user", "postgres"),
                ("db_password", ""),
                ("db_sslmode", "disable"),
            ];
            overrides
                .iter()
                .chain(defaults.iter())
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
                .ok_or_else(|| "undefined".to_string())
        }
    }

    #[test]
    fn quotes_every_value() {
        let settings =
            Settings::from_lookup(lookup(&[("db_password", "it's a \\ secret")])).unwrap();
        assert_eq!(
            settings.address(),
            r"host='127.0.0.1' port=5432 dbname='taskspin' user='postgres' password='it\'s a \\ secret' sslmode=disable"
        );
    }

    #[test]
    fn rejects_bad_ports_and_ssl_modes() {
        assert!(Settings::from_lookup(lookup(&[("db_port", "x")])).is_err());
        assert!(Settings::from_lookup(lookup(&[("db_sslmode", "verify-full")])).is_err());
    }
}
