//! Where the runtime ends and the image begins, and the type-2 mark.

/// Bytes 8..11 of an AppImage (ELF `e_ident` padding, unused by loaders).
pub const MAGIC_AT: usize = 8;
pub const MAGIC: [u8; 3] = *b"AI\x02";

/// How many bytes of the file [`image_offset`] needs to see: the ELF header and the
/// program headers, which linkers put right after it.
pub const HEAD_LEN: usize = 64 * 1024;

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u16::from_le_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The end of the ELF program whose first bytes are `head`: past its section header table
/// and every segment. Whatever follows is the appended image. Only 64-bit little-endian
/// ELF (x86-64, AArch64), the only kinds Aura ships.
pub fn image_offset(head: &[u8]) -> Result<u64, String> {
    if head.get(..4) != Some(b"\x7fELF") {
        return Err("no ELF header".into());
    }
    if head.get(4..6) != Some(&[2, 1]) {
        return Err("not a 64-bit little-endian ELF file".into());
    }
    let short = || "truncated ELF header".to_owned();
    let sh_end = u64_at(head, 0x28).ok_or_else(short)?
        + u16_at(head, 0x3a).ok_or_else(short)? * u16_at(head, 0x3c).ok_or_else(short)?;
    let (ph_off, ph_size, ph_num) = (
        u64_at(head, 0x20).ok_or_else(short)?,
        u16_at(head, 0x36).ok_or_else(short)?,
        u16_at(head, 0x38).ok_or_else(short)?,
    );
    let mut end = sh_end;
    for i in 0..ph_num {
        let at = usize::try_from(ph_off + i * ph_size).map_err(|_| short())?;
        let seg_end = u64_at(head, at + 8).ok_or("program headers past the file head")?
            + u64_at(head, at + 32).ok_or("program headers past the file head")?;
        end = end.max(seg_end);
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_test_binary_ends_where_its_file_ends() {
        let exe = std::env::current_exe().expect("the test knows its binary");
        let bytes = std::fs::read(&exe).expect("the test binary is readable");
        let end = image_offset(&bytes[..HEAD_LEN.min(bytes.len())]).expect("an ELF file");
        assert_eq!(end, bytes.len() as u64);
    }

    #[test]
    fn other_files_are_refused() {
        assert!(image_offset(b"#!/bin/sh\n").is_err());
        assert!(image_offset(b"\x7fELF\x01\x01").is_err());
        assert!(image_offset(b"\x7fELF\x02\x01\x01").is_err());
    }
}
