//! The subset of Spin's application manifest (version 2) that this host runs.
//!
//! Every table is parsed with `deny_unknown_fields`, so a key the host does
//! not understand is an error that names it instead of being silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub spin_manifest_version: u32,
    pub application: Application,
    #[serde(default)]
    pub variables: BTreeMap<String, VariableDecl>,
    #[serde(default)]
    pub trigger: Triggers,
    #[serde(default)]
    pub component: BTreeMap<String, ComponentDecl>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `[variables]`: either a default value or `required = true`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariableDecl {
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub description: Option<String>,
}

/// The trigger types the host runs; any other `[[trigger.x]]` is rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    #[serde(default)]
    pub http: Vec<HttpTrigger>,
    #[serde(default)]
    pub cron: Vec<CronTrigger>,
    #[serde(default)]
    pub command: Vec<CommandTrigger>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpTrigger {
    #[serde(default)]
    pub id: Option<String>,
    pub route: String,
    pub component: String,
    #[serde(default)]
    pub executor: Option<HttpExecutor>,
}

/// Spin accepts `executor = { type = "spin" }` (the default) or `"wagi"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpExecutor {
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CronTrigger {
    #[serde(default)]
    pub id: Option<String>,
    pub component: String,
    pub cron_expression: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandTrigger {
    #[serde(default)]
    pub id: Option<String>,
    pub component: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentDecl {
    pub source: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub files: Vec<FileMount>,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    #[serde(default)]
    pub allowed_outbound_hosts: Vec<String>,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    /// `spin build` settings: read by Spin's CLI, not by a runtime.
    #[serde(default)]
    pub build: Option<toml::Table>,
}

/// A directory mounted read-only into the component.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMount {
    pub source: String,
    pub destination: String,
}

/// A manifest with its directory, which relative paths are resolved against.
#[derive(Debug)]
pub struct LoadedManifest {
    pub manifest: Manifest,
    pub base_dir: PathBuf,
}

impl LoadedManifest {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read manifest {}", path.display()))?;
        let manifest =
            parse(&text).with_context(|| format!("invalid manifest {}", path.display()))?;
        let base_dir = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Self { manifest, base_dir })
    }

    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.base_dir.join(relative)
    }

    pub fn component(&self, id: &str) -> anyhow::Result<&ComponentDecl> {
        self.manifest
            .component
            .get(id)
            .with_context(|| format!("no component `{id}` in the manifest"))
    }
}

pub fn parse(text: &str) -> anyhow::Result<Manifest> {
    let manifest: Manifest = toml::from_str(text).map_err(|e| {
        // toml's message spans several lines with a source excerpt; keep the gist.
        anyhow::anyhow!("{}", e.message())
    })?;
    validate(&manifest)?;
    Ok(manifest)
}

fn validate(manifest: &Manifest) -> anyhow::Result<()> {
    if manifest.spin_manifest_version != 2 {
        bail!(
            "`spin_manifest_version` is {}, only 2 is supported",
            manifest.spin_manifest_version
        );
    }
    for (name, decl) in &manifest.variables {
        if decl.required && decl.default.is_some() {
            bail!("variable `{name}` is both `required` and has a `default`");
        }
        if !decl.required && decl.default.is_none() {
            bail!("variable `{name}` needs a `default` or `required = true`");
        }
    }
    let triggers = &manifest.trigger;
    let referenced = triggers
        .http
        .iter()
        .map(|t| ("http", t.component.as_str()))
        .chain(triggers.cron.iter().map(|t| ("cron", t.component.as_str())))
        .chain(
            triggers
                .command
                .iter()
                .map(|t| ("command", t.component.as_str())),
        );
    for (kind, component) in referenced {
        if !manifest.component.contains_key(component) {
            bail!("[[trigger.{kind}]] names component `{component}`, which is not declared");
        }
    }
    for trigger in &triggers.http {
        if let Some(executor) = &trigger.executor
            && executor.kind != "spin"
        {
            bail!(
                "[[trigger.http]] executor type `{}` is not supported (only `spin`)",
                executor.kind
            );
        }
    }
    for (id, component) in &manifest.component {
        for name in component.variables.keys() {
            if !is_valid_variable_name(name) {
                bail!("component `{id}` variable `{name}` must be lower snake case");
            }
        }
        for mount in &component.files {
            if !mount.destination.starts_with('/') {
                bail!(
                    "component `{id}` file mount destination `{}` must be absolute",
                    mount.destination
                );
            }
        }
    }
    for name in manifest.variables.keys() {
        if !is_valid_variable_name(name) {
            bail!("variable `{name}` must be lower snake case");
        }
    }
    Ok(())
}

/// Spin's rule: lower-case letters, digits and underscores, starting with a letter.
pub fn is_valid_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
spin_manifest_version = 2
[application]
name = "t"
[[trigger.http]]
route = "/..."
component = "web"
[component.web]
source = "web.wasm"
"#;

    #[test]
    fn parses_a_minimal_manifest() {
        let m = parse(MINIMAL).unwrap();
        assert_eq!(m.trigger.http[0].route, "/...");
    }

    #[test]
    fn rejects_an_unknown_trigger_type_by_name() {
        let text = MINIMAL.replace("[[trigger.http]]", "[[trigger.redis]]");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("redis"), "{err}");
    }

    #[test]
    fn rejects_an_unknown_component_key_by_name() {
        let text = format!("{MINIMAL}key_value_stores = [\"default\"]\n");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("key_value_stores"), "{err}");
    }

    #[test]
    fn rejects_a_trigger_for_a_missing_component() {
        let text = MINIMAL.replace("component = \"web\"", "component = \"nope\"");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn variables_need_a_default_or_required() {
        let text = format!("{MINIMAL}[variables]\nx = {{ secret = true }}\n");
        assert!(parse(&text).unwrap_err().to_string().contains("`x`"));
    }
}
