use aura_core::{Error, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the database is at schema version {found}, newer than this Aura understands ({supported}); \
         upgrade Aura or point AURA_HOME elsewhere"
    )]
    NewerSchema { found: u32, supported: u32 },
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::NotFound(_) => ErrorCode::NotFound,
            StoreError::AlreadyExists(_) => ErrorCode::AlreadyExists,
            StoreError::Invalid(_) => ErrorCode::InvalidInput,
            StoreError::Io(_) => ErrorCode::Io,
            StoreError::Sqlite(_) | StoreError::NewerSchema { .. } => ErrorCode::Internal,
        };
        Error::new(code, e.to_string())
    }
}
