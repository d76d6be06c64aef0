//! Decoding and encoding of editable text, and the read/write operations built on it.

use std::io::Read;

use aura_core::{Error, ErrorCode, RelPath, Result};

use crate::atomic::{AtomicMode, write_atomic};
use crate::{
    Encoding, FileVersion, LineEnding, ProjectRoot, READ_ONLY_CAP, ReadOptions, TextFile, WriteMode,
};

const BOM_UTF8: &[u8] = &[0xEF, 0xBB, 0xBF];
const BOM_UTF16LE: &[u8] = &[0xFF, 0xFE];
const BOM_UTF16BE: &[u8] = &[0xFE, 0xFF];
/// Git looks at the first 8000 bytes for NUL; we do the same with a round number.
const SNIFF_BYTES: usize = 8 * 1024;

impl ProjectRoot {
    /// Reads a text file for the editor (or a read-only viewer, see [`ReadOptions`]).
    pub fn read_text(&self, rel: &RelPath, opts: &ReadOptions) -> Result<TextFile> {
        let path = self.resolve(rel)?;
        let meta = std::fs::metadata(&path).map_err(|e| Error::from_io(&e, rel))?;
        if meta.is_dir() {
            return Err(Error::invalid(format!("{rel} is a folder, not a file")));
        }
        let size = meta.len();
        let over_limit = size > opts.max_edit_bytes;
        if over_limit && !opts.read_only {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!(
                    "{rel} is {size} bytes, over the editing limit of {} bytes",
                    opts.max_edit_bytes
                ),
            ));
        }
        let cap = if opts.read_only {
            READ_ONLY_CAP
        } else {
            opts.max_edit_bytes.max(1)
        };
        let file = std::fs::File::open(&path).map_err(|e| Error::from_io(&e, rel))?;
        let mut bytes = Vec::with_capacity(size.min(cap) as usize);
        // One byte past the cap tells us whether the file grew since the metadata call.
        file.take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::from_io(&e, rel))?;
        let truncated = bytes.len() as u64 > cap;
        if truncated {
            if !opts.read_only {
                return Err(Error::new(
                    ErrorCode::TooLarge,
                    format!("{rel} grew over the editing limit"),
                ));
            }
            bytes.truncate(cap as usize);
        }
        let version = FileVersion::of(&bytes);
        let (text, encoding) = decode(&bytes, truncated)
            .map_err(|e| Error::new(e.code, format!("{rel}: {}", e.message)))?;
        Ok(TextFile {
            line_ending: line_ending(&text),
            text,
            encoding,
            version,
            size,
            read_only: opts.read_only || over_limit || meta.permissions().readonly(),
            truncated,
        })
    }

    /// Saves `text` atomically (temp file, fsync, rename) in `encoding`, honoring `mode`.
    pub fn write_text(
        &self,
        rel: &RelPath,
        text: &str,
        encoding: Encoding,
        mode: WriteMode,
    ) -> Result<FileVersion> {
        let bytes = encode(text, encoding);
        let path = self.resolve(rel)?;
        let atomic = match mode {
            WriteMode::CreateNew => AtomicMode::CreateNew,
            WriteMode::Overwrite => AtomicMode::Overwrite,
            WriteMode::IfVersion(v) => AtomicMode::IfVersion(v),
        };
        // Recorded before the rename so the watcher can never see the new file first; a
        // failed write leaves a record that simply never matches the disk.
        self.echo.record(&path, FileVersion::of(&bytes));
        let version = write_atomic(&path, &bytes, atomic)
            .map_err(|e| Error::new(e.code, format!("{rel}: {}", e.message)))?;
        tracing::debug!(path = %rel, bytes = bytes.len(), "saved");
        Ok(version)
    }
}

/// Decodes file bytes. `truncated` allows a cut multi-byte sequence at the very end.
pub(crate) fn decode(bytes: &[u8], truncated: bool) -> Result<(String, Encoding)> {
    if let Some(rest) = bytes.strip_prefix(BOM_UTF16LE) {
        return Ok((
            decode_utf16(rest, truncated, u16::from_le_bytes)?,
            Encoding::Utf16Le,
        ));
    }
    if let Some(rest) = bytes.strip_prefix(BOM_UTF16BE) {
        return Ok((
            decode_utf16(rest, truncated, u16::from_be_bytes)?,
            Encoding::Utf16Be,
        ));
    }
    let (body, enc) = match bytes.strip_prefix(BOM_UTF8) {
        Some(rest) => (rest, Encoding::Utf8Bom),
        None => (bytes, Encoding::Utf8),
    };
    if looks_binary(body) {
        return Err(Error::new(ErrorCode::Binary, "binary file"));
    }
    match std::str::from_utf8(body) {
        Ok(s) => Ok((s.to_owned(), enc)),
        // A sequence cut by the read cap, not a broken file.
        Err(e) if truncated && e.error_len().is_none() => Ok((
            String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned(),
            enc,
        )),
        Err(e) => Err(Error::new(
            ErrorCode::UnsupportedEncoding,
            format!(
                "not valid UTF-8 (invalid byte at offset {}); it is probably a legacy 8-bit encoding \
                 such as windows-1252/latin-1",
                e.valid_up_to()
            ),
        )),
    }
}

fn decode_utf16(body: &[u8], truncated: bool, from: fn([u8; 2]) -> u16) -> Result<String> {
    let even = if truncated {
        body.len() & !1
    } else {
        body.len()
    };
    if even % 2 != 0 {
        return Err(Error::new(
            ErrorCode::UnsupportedEncoding,
            "UTF-16 file with an odd number of bytes",
        ));
    }
    let units: Vec<u16> = body[..even]
        .chunks_exact(2)
        .map(|c| from([c[0], c[1]]))
        .collect();
    if truncated {
        return Ok(String::from_utf16_lossy(&units));
    }
    String::from_utf16(&units).map_err(|_| {
        Error::new(
            ErrorCode::UnsupportedEncoding,
            "invalid UTF-16 (unpaired surrogate)",
        )
    })
}

/// NUL bytes never occur in UTF-8 text that people edit; a few formats without NULs near
/// the start are recognized by their magic.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    head.contains(&0) || head.starts_with(b"%PDF-")
}

pub(crate) fn encode(text: &str, enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [BOM_UTF8, text.as_bytes()].concat(),
        Encoding::Utf16Le => {
            let mut out = BOM_UTF16LE.to_vec();
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        Encoding::Utf16Be => {
            let mut out = BOM_UTF16BE.to_vec();
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }
    }
}

pub(crate) fn line_ending(text: &str) -> LineEnding {
    let bytes = text.as_bytes();
    let (mut lf, mut crlf) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            if i > 0 && bytes[i - 1] == b'\r' {
                crlf += 1;
            } else {
                lf += 1;
            }
        }
    }
    match (lf, crlf) {
        (0, 0) => LineEnding::None,
        (_, 0) => LineEnding::Lf,
        (0, _) => LineEnding::Crlf,
        _ => LineEnding::Mixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrips_every_encoding() {
        for enc in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let text = "héllo\r\nwörld 🦀\n";
            let (back, got) = decode(&encode(text, enc), false).unwrap();
            assert_eq!((back.as_str(), got), (text, enc));
        }
    }

    #[test]
    fn classifies() {
        assert_eq!(decode(b"a\0b", false).unwrap_err().code, ErrorCode::Binary);
        let e = decode(b"caf\xe9 au lait", false).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedEncoding);
        assert!(e.message.contains("not valid UTF-8"));
        // A cut multi-byte char at the end is fine only when we cut it ourselves.
        assert_eq!(decode("aé".as_bytes()[..2].as_ref(), true).unwrap().0, "a");
        assert!(decode("aé".as_bytes()[..2].as_ref(), false).is_err());
        assert_eq!(line_ending("a\nb\r\n"), LineEnding::Mixed);
        assert_eq!(line_ending("a\r\nb\r\n"), LineEnding::Crlf);
        assert_eq!(line_ending("ab"), LineEnding::None);
    }
}
