//! Spin variables: application variables from manifest defaults overridden by
//! `SPIN_VARIABLE_<NAME>` environment variables, and per-component variables
//! that are templates over them (`"{{ db_host }}"`).

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, bail};

use crate::manifest::VariableDecl;

/// Resolved application variables; secrets are remembered so they are never logged.
#[derive(Debug, Default)]
pub struct AppVariables {
    values: HashMap<String, String>,
}

impl AppVariables {
    /// Resolves every declared variable, so a missing required one stops the
    /// host at start rather than failing a request later.
    pub fn resolve(
        decls: &BTreeMap<String, VariableDecl>,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Self> {
        let mut values = HashMap::new();
        for (name, decl) in decls {
            let env_name = format!("SPIN_VARIABLE_{}", name.to_ascii_uppercase());
            let value = match env(&env_name).or_else(|| decl.default.clone()) {
                Some(value) => value,
                None => bail!("required variable `{name}` is not set (set {env_name})"),
            };
            values.insert(name.clone(), value);
        }
        Ok(Self { values })
    }

    /// Expands `{{ name }}` references; any other text is kept as it is.
    pub fn render(&self, template: &str) -> anyhow::Result<String> {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find("}}")
                .with_context(|| format!("unterminated `{{{{` in template `{template}`"))?;
            let name = after[..end].trim();
            let value = self.values.get(name).with_context(|| {
                format!("template `{template}` refers to undeclared variable `{name}`")
            })?;
            out.push_str(value);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// The variables one component can read, already rendered.
#[derive(Debug, Default, Clone)]
pub struct ComponentVariables {
    values: HashMap<String, String>,
}

impl ComponentVariables {
    pub fn new(
        component_id: &str,
        templates: &BTreeMap<String, String>,
        app: &AppVariables,
    ) -> anyhow::Result<Self> {
        let values = templates
            .iter()
            .map(|(name, template)| {
                let value = app
                    .render(template)
                    .with_context(|| format!("component `{component_id}` variable `{name}`"))?;
                Ok((name.clone(), value))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self { values })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(default: Option<&str>) -> VariableDecl {
        VariableDecl {
            default: default.map(str::to_owned),
            required: default.is_none(),
            secret: false,
            description: None,
        }
    }

    #[test]
    fn environment_overrides_defaults() {
        let decls = BTreeMap::from([
            ("db_host".to_owned(), decl(Some("localhost"))),
            ("db_port".to_owned(), decl(Some("5432"))),
        ]);
        let vars = AppVariables::resolve(&decls, |name| {
            (name == "SPIN_VARIABLE_DB_PORT").then(|| "6543".to_owned())
        })
        .unwrap();
        assert_eq!(
            vars.render("postgres://{{ db_host }}:{{db_port}}").unwrap(),
            "postgres://localhost:6543"
        );
    }

    #[test]
    fn a_missing_required_variable_names_its_environment_variable() {
        let decls = BTreeMap::from([("llm_api_key".to_owned(), decl(None))]);
        let err = AppVariables::resolve(&decls, |_| None).unwrap_err();
        assert!(err.to_string().contains("SPIN_VARIABLE_LLM_API_KEY"));
    }

    #[test]
    fn templates_must_name_declared_variables() {
        let vars = AppVariables::default();
        assert!(vars.render("{{ nope }}").is_err());
        assert!(vars.render("{{ open").is_err());
        assert_eq!(vars.render("plain").unwrap(), "plain");
    }
}
