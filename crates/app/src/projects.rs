//! Project operations: create from a template, open, list, update, forget, import, export.

use std::path::{Path, PathBuf};

use aura_core::language::detect_project_language;
use aura_core::relpath::validate_name;
use aura_core::{Error, ErrorCode, ProjectId, RelPath, Result};
use aura_fs::{ArchiveLimits, ProjectRoot, WalkOptions};
use aura_store::{NewProject, ProjectUpdate};

use crate::{App, OpenProject, ProjectInfo, TemplateInfo, lock, templates};

/// How many files language detection looks at; enough to be representative, cheap on a
/// huge tree.
const DETECT_SAMPLE: usize = 2000;

impl App {
    pub fn project_templates(&self) -> Vec<TemplateInfo> {
        templates::list()
    }

    /// Creates `location/name` from a template and opens it. The folder appears whole or
    /// not at all: files are written into a hidden staging folder that is renamed at the end.
    pub fn project_create(
        &self,
        name: &str,
        template: &str,
        location: &Path,
    ) -> Result<ProjectInfo> {
        let name = name.trim();
        validate_name(name)?;
        let tpl = templates::find(template)
            .ok_or_else(|| Error::invalid(format!("unknown template {template:?}")))?;
        let location = existing_dir(location)?;
        let target = location.join(name);
        if target.symlink_metadata().is_ok() {
            return Err(Error::new(
                ErrorCode::AlreadyExists,
                format!("{} already exists", target.display()),
            ));
        }
        let staging = location.join(format!(
            ".{name}.aura-new-{}",
            uuid::Uuid::new_v4().simple()
        ));
        let written = write_template(&staging, tpl.files).and_then(|()| {
            std::fs::rename(&staging, &target).map_err(|e| Error::from_io(&e, target.display()))
        });
        if let Err(e) = written {
            // Only our own staging folder is removed; the target was never created.
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        tracing::info!(template, path = %target.display(), "project created");
        let info = self.project_open(&target)?;
        match tpl.language {
            Some(lang) if info.language.as_deref() != Some(lang) => self.project_update(
                &info.id,
                ProjectUpdate {
                    language: Some(Some(lang.to_owned())),
                    ..Default::default()
                },
            ),
            _ => Ok(info),
        }
    }

    /// Opens a folder as a project: registers it on first open (detecting its language),
    /// marks it as last opened, and starts watching it when a listener is set.
    pub fn project_open(&self, path: &Path) -> Result<ProjectInfo> {
        let root = ProjectRoot::open(path)?;
        let canonical = root.path().display().to_string();
        let row = match self.store.project_by_path(&canonical)? {
            Some(row) => {
                self.store.touch_project_opened(&row.id)?;
                self.store.project(&row.id)?
            }
            None => {
                let id = ProjectId::from_generated(uuid::Uuid::new_v4().simple().to_string())?;
                let name = root
                    .path()
                    .file_name()
                    .map_or_else(|| canonical.clone(), |n| n.to_string_lossy().into_owned());
                let language = detect_language(&root);
                self.store.insert_project(&NewProject {
                    id,
                    name,
                    path: canonical,
                    language,
                })?
            }
        };
        self.attach(&row.id, root)?;
        tracing::info!(id = %row.id, path = %row.path, "project opened");
        Ok(row.into())
    }

    /// Registered projects, last opened first.
    pub fn project_list_recent(&self, limit: usize) -> Result<Vec<ProjectInfo>> {
        Ok(self
            .store
            .list_recent_projects(limit)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub fn project_get(&self, id: &str) -> Result<ProjectInfo> {
        Ok(self.store.project(&ProjectId::parse(id)?)?.into())
    }

    pub fn project_update(&self, id: &str, update: ProjectUpdate) -> Result<ProjectInfo> {
        Ok(self
            .store
            .update_project(&ProjectId::parse(id)?, &update)?
            .into())
    }

    /// Removes a project from the registry and deletes Aura's derived data for it. The
    /// project's own files are never touched.
    pub fn project_forget(&self, id: &str) -> Result<()> {
        let id = ProjectId::parse(id)?;
        self.store.delete_project(&id)?;
        self.open_projects().remove(&id);
        let derived = self.dirs.project_data(&id);
        if derived.exists() {
            std::fs::remove_dir_all(&derived).map_err(|e| Error::from_io(&e, derived.display()))?;
        }
        tracing::info!(%id, "project forgotten");
        Ok(())
    }

    /// Extracts an archive (zip, tar, tar.gz) into `location/name` and opens it. `name`
    /// defaults to the archive's file name without its extensions.
    pub fn project_import(
        &self,
        archive: &Path,
        location: &Path,
        name: Option<&str>,
    ) -> Result<ProjectInfo> {
        let name = match name {
            Some(n) => n.trim().to_owned(),
            None => archive_stem(archive)?,
        };
        validate_name(&name)?;
        let dest = existing_dir(location)?.join(&name);
        let report = aura_fs::import_archive(archive, &dest, &ArchiveLimits::default())?;
        tracing::info!(files = report.files, bytes = report.bytes, dest = %dest.display(), "archive imported");
        self.project_open(&dest)
    }

    /// Writes the project as a zip (ignored files left out). Refuses to overwrite `out`.
    pub fn project_export(&self, id: &str, out: &Path) -> Result<aura_fs::ExportReport> {
        if out.symlink_metadata().is_ok() {
            return Err(Error::new(
                ErrorCode::AlreadyExists,
                format!("{} already exists", out.display()),
            ));
        }
        let root = self.root(id)?;
        aura_fs::export_zip(&root, out)
    }

    /// The confined root of a registered project, opening it on first use.
    pub(crate) fn root(&self, id: &str) -> Result<ProjectRoot> {
        let id = ProjectId::parse(id)?;
        if let Some(p) = self.open_projects().get(&id) {
            return Ok(p.root.clone());
        }
        let row = self.store.project(&id)?;
        let root = ProjectRoot::open(Path::new(&row.path))?;
        self.attach(&id, root.clone())?;
        Ok(root)
    }

    fn attach(&self, id: &ProjectId, root: ProjectRoot) -> Result<()> {
        if self.open_projects().contains_key(id) {
            return Ok(());
        }
        let listener = lock(&self.listener).clone();
        // A live app (one that listens to file events) indexes every project it opens; the
        // CLI starts an index only when a command needs one.
        let (index, semantic) = match listener {
            Some(_) => (
                Some(self.start_index(id, &root)?),
                Some(self.start_semantic(id, &root)?),
            ),
            None => (None, None),
        };
        let watcher = match listener {
            Some(listener) => {
                let pid = id.clone();
                let feed = index.as_ref().map(|ix| ix.event_sink());
                let chunks = semantic.as_ref().map(|s| s.event_sink());
                Some(root.watch(move |events| {
                    // The indexes hear first, so they are catching up when the UI reacts.
                    if let Some(feed) = &feed {
                        feed(events.clone());
                    }
                    if let Some(chunks) = &chunks {
                        chunks(events.clone());
                    }
                    listener(&pid, events);
                })?)
            }
            None => None,
        };
        self.open_projects().insert(
            id.clone(),
            OpenProject {
                root,
                _watcher: watcher,
                index,
                semantic,
            },
        );
        Ok(())
    }

    /// Stops watching a project (the UI closed it); it stays registered.
    pub fn project_close(&self, id: &str) -> Result<()> {
        self.open_projects().remove(&ProjectId::parse(id)?);
        Ok(())
    }

    /// The UI's saved session (open tabs, layout) for a project, if any.
    pub fn session_load(&self, id: &str) -> Result<Option<String>> {
        Ok(self.store.session(&ProjectId::parse(id)?)?)
    }

    pub fn session_save(&self, id: &str, state_json: &str) -> Result<()> {
        Ok(self
            .store
            .save_session(&ProjectId::parse(id)?, state_json)?)
    }

    pub fn recent_files(&self, id: &str) -> Result<Vec<String>> {
        Ok(self.store.recent_files(&ProjectId::parse(id)?)?)
    }
}

fn existing_dir(p: &Path) -> Result<PathBuf> {
    let canon = p
        .canonicalize()
        .map_err(|e| Error::from_io(&e, p.display()))?;
    if !canon.is_dir() {
        return Err(Error::invalid(format!("{} is not a folder", p.display())));
    }
    Ok(canon)
}

fn write_template(dir: &Path, files: &[(&str, &str)]) -> Result<()> {
    std::fs::create_dir(dir).map_err(|e| Error::from_io(&e, dir.display()))?;
    for (rel, contents) in files {
        let rel = RelPath::new(rel)?;
        let path = rel.to_path(dir);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::from_io(&e, parent.display()))?;
        }
        std::fs::write(&path, contents).map_err(|e| Error::from_io(&e, path.display()))?;
    }
    Ok(())
}

fn detect_language(root: &ProjectRoot) -> Option<String> {
    let opts = WalkOptions {
        max_files: Some(DETECT_SAMPLE),
        ..Default::default()
    };
    match root.walk_files(&opts) {
        Ok(files) => detect_project_language(files.iter().map(RelPath::file_name)),
        Err(e) => {
            tracing::warn!(error = %e, "language detection skipped");
            None
        }
    }
}

fn archive_stem(archive: &Path) -> Result<String> {
    let file = archive
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            Error::invalid(format!("{}: not an archive file name", archive.display()))
        })?;
    let lower = file.to_ascii_lowercase();
    let cut = [".tar.gz", ".tgz", ".tar", ".zip"]
        .iter()
        .find(|ext| lower.ends_with(*ext))
        .map_or(file.len(), |ext| file.len() - ext.len());
    let stem = &file[..cut];
    if stem.is_empty() {
        return Err(Error::invalid(format!(
            "{file}: cannot name a project after it; give a name"
        )));
    }
    Ok(stem.to_owned())
}
