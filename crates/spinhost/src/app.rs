//! Loading an application: parse the manifest, resolve variables, compile
//! every component once (or load it from the compile cache), and link it
//! against the interfaces this host provides.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, InstancePre, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::allowed_hosts::AllowedHosts;
use crate::bindings::spin_host::SpinImports;
use crate::manifest::{ComponentDecl, LoadedManifest};
use crate::postgres::Pools;
use crate::state::{ComponentConfig, State};
use crate::variables::{AppVariables, ComponentVariables};

/// Instances that may exist at once across all components; well above the
/// 100 concurrent requests we benchmark with.
const MAX_INSTANCES: u32 = 1000;
/// Linear memory limit of one instance.
const MAX_MEMORY_BYTES: usize = 256 << 20;

pub struct App {
    pub engine: Engine,
    pub manifest: LoadedManifest,
    components: HashMap<String, Prepared>,
}

pub struct Prepared {
    pub config: Arc<ComponentConfig>,
    pub pre: InstancePre<State>,
}

impl App {
    /// Loads the manifest and prepares the components that `select` names.
    pub fn load(
        manifest_path: &Path,
        select: impl Fn(&LoadedManifest) -> anyhow::Result<Vec<String>>,
    ) -> anyhow::Result<Self> {
        let manifest = LoadedManifest::load(manifest_path)?;
        let variables = AppVariables::resolve(&manifest.manifest.variables, |name| {
            std::env::var(name).ok()
        })?;
        let engine = new_engine()?;
        start_epoch_ticker(&engine);
        let linker = new_linker(&engine)?;
        let cache_dir = manifest.resolve(".spin/spinhost-cache");
        let pools = Pools::default();

        let mut components = HashMap::new();
        for id in select(&manifest)? {
            let decl = manifest.component(&id)?;
            let config = component_config(&manifest, &id, decl, &variables, pools.clone())?;
            let source = manifest.resolve(&decl.source);
            let component = compile(&engine, &source, &cache_dir)
                .with_context(|| format!("component `{id}`"))?;
            let pre = linker.instantiate_pre(&component).map_err(|e| {
                anyhow!("component `{id}` cannot be linked: {}", one_line(&e.into()))
            })?;
            components.insert(
                id,
                Prepared {
                    config: Arc::new(config),
                    pre,
                },
            );
        }
        Ok(Self {
            engine,
            manifest,
            components,
        })
    }

    pub fn component(&self, id: &str) -> &Prepared {
        // `load` prepared every component a trigger of the selected kind names.
        &self.components[id]
    }
}

/// An error and its causes on one line, the way the CLI reports failures.
pub fn one_line(error: &anyhow::Error) -> String {
    let text = error
        .chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn component_config(
    manifest: &LoadedManifest,
    id: &str,
    decl: &ComponentDecl,
    variables: &AppVariables,
    pools: Pools,
) -> anyhow::Result<ComponentConfig> {
    let rendered_hosts = decl
        .allowed_outbound_hosts
        .iter()
        .map(|entry| variables.render(entry))
        .collect::<anyhow::Result<Vec<_>>>()
        .with_context(|| format!("component `{id}` allowed_outbound_hosts"))?;
    let allowed_hosts = AllowedHosts::parse(&rendered_hosts)
        .with_context(|| format!("component `{id}` allowed_outbound_hosts"))?;
    let files = decl
        .files
        .iter()
        .map(|mount| {
            let source = manifest.resolve(&mount.source);
            if !source.is_dir() {
                bail!(
                    "component `{id}` files: `{}` is not a directory",
                    mount.source
                );
            }
            Ok((source, mount.destination.clone()))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(ComponentConfig {
        id: id.to_owned(),
        variables: ComponentVariables::new(id, &decl.variables, variables)?,
        allowed_hosts,
        environment: decl.environment.clone().into_iter().collect(),
        files,
        pools,
    })
}

fn new_engine() -> anyhow::Result<Engine> {
    let mut pooling = PoolingAllocationConfig::default();
    pooling
        .total_component_instances(MAX_INSTANCES)
        .total_core_instances(MAX_INSTANCES * 4)
        .total_memories(MAX_INSTANCES * 2)
        .total_tables(MAX_INSTANCES * 4)
        .total_stacks(MAX_INSTANCES)
        .max_memory_size(MAX_MEMORY_BYTES)
        // Spin's defaults and the environment variables that change them: a
        // returned instance's first 2 MiB of memory and 512 KiB of tables are
        // zeroed in place rather than given back to the kernel, whose
        // unmapping costs a TLB flush on every core per request (a fifth of
        // the host's time under load, by `perf`), at the price of keeping
        // those pages resident for every pool slot ever used.
        .linear_memory_keep_resident(env_bytes(
            "SPIN_WASMTIME_LINEAR_MEMORY_KEEP_RESIDENT",
            2 << 20,
        )?)
        .table_keep_resident(env_bytes("SPIN_WASMTIME_TABLE_KEEP_RESIDENT", 512 << 10)?);
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .epoch_interruption(true)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
    Ok(Engine::new(&config)?)
}

/// A byte count from the environment variable `name`, else `default`.
fn env_bytes(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(value) => value
            .trim()
            .parse()
            .with_context(|| format!("{name}={value} is not a number of bytes")),
        Err(_) => Ok(default),
    }
}

/// How often a running guest yields to the host's other work, as Spin does:
/// a guest in a loop that never returns cannot hold an executor thread, and
/// its task is cancelled at a yield when its caller goes away.
const EPOCH_TICK: std::time::Duration = std::time::Duration::from_millis(10);

/// Advances the engine's epoch every [`EPOCH_TICK`] for as long as it lives.
fn start_epoch_ticker(engine: &Engine) {
    let engine = engine.weak();
    std::thread::spawn(move || {
        while let Some(engine) = engine.upgrade() {
            engine.increment_epoch();
            drop(engine);
            std::thread::sleep(EPOCH_TICK);
        }
    });
}

impl App {
    /// A store for one instance, yielding at every epoch tick.
    pub fn new_store(&self, state: State) -> wasmtime::Store<State> {
        let mut store = wasmtime::Store::new(&self.engine, state);
        store.epoch_deadline_async_yield_and_update(1);
        store
    }
}

fn new_linker(engine: &Engine) -> anyhow::Result<Linker<State>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    SpinImports::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
    Ok(linker)
}

/// Compiles a component, reusing machine code cached by an earlier start
/// when neither the `.wasm` nor the engine changed.
fn compile(engine: &Engine, source: &Path, cache_dir: &Path) -> anyhow::Result<Component> {
    let wasm = std::fs::read(source).with_context(|| {
        format!(
            "cannot read {} (build the components first)",
            source.display()
        )
    })?;
    let cached = cache_dir.join(format!("{}.cwasm", cache_key(engine, &wasm)));
    if cached.exists() {
        // SAFETY: the file was written by `Component::serialize` of this very
        // engine configuration (its hash is part of the file name).
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &cached) } {
            return Ok(component);
        }
    }
    let component = Component::from_binary(engine, &wasm).map_err(|e| {
        anyhow!(
            "{} is not a valid component: {}",
            source.display(),
            one_line(&e.into())
        )
    })?;
    if let Ok(bytes) = component.serialize() {
        write_atomically(&cached, &bytes);
    }
    Ok(component)
}

fn cache_key(engine: &Engine, wasm: &[u8]) -> String {
    let mut engine_hash = std::collections::hash_map::DefaultHasher::new();
    engine
        .precompile_compatibility_hash()
        .hash(&mut engine_hash);
    let mut digest = Sha256::new();
    digest.update(engine_hash.finish().to_le_bytes());
    digest.update(wasm);
    hex::encode(&digest.finalize()[..16])
}

/// A cache write is an optimisation: failing it must not fail the start.
fn write_atomically(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    let temp: PathBuf = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4()));
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&temp, bytes))
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}
