//! How many cells calamine would lay out for an xls, found before calamine is asked.
//!
//! calamine's `Xls::new` lays out every sheet as it opens the file: a DIMENSIONS record
//! sizes a `reserve`, and `Range::from_sparse` allocates the whole block between the first
//! and the last cell. Two cells at A1 and (65535, 65535), or a forged DIMENSIONS, make a
//! 6 KB file ask for 128 GiB or 40 TiB, and a failed allocation aborts the process: no
//! panic for `run` to catch. So this module reads the compound file and the BIFF records
//! itself, the way calamine 0.38 does (`cfb.rs`, `xls.rs`), only counting, and `workbook`
//! refuses the file when that would be too large.
//!
//! Where calamine would give up on the file (an error or a panic, which `run` catches),
//! so do we, and calamine reports it. Where calamine would read it, we must see the same
//! bytes, or a bomb could hide from us: hence the emulation of its quirks (a directory
//! name's byte-order mark, zeros past the end of the file, small streams read past the
//! mini stream). Chains that never end are the one thing calamine does not check: it
//! would follow them until memory runs out, so they count as an unbounded layout.

use std::borrow::Cow;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// calamine follows the DIFAT chain while the next sector is below this.
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
/// A FAT longer than the file holds, or than this, repeats sectors; calamine would build it.
const MAX_FAT_ENTRIES: usize = 1 << 24;
/// The cells of a BIFF8 sheet's whole grid: 65,536 rows of 256 columns.
const BIFF8_GRID: u64 = 65_536 * 256;

/// Why the count stopped: calamine would fail on the file, or never finish reading it.
enum Stop {
    Unreadable,
    Runaway,
}

/// The most cells calamine would hold at once while it lays out this compound file's sheets
/// (reserved for a sheet's cell list, or in the sheets' laid-out blocks, which it keeps);
/// `u64::MAX` when its reading would not end. None when calamine could not open the file.
pub fn largest_layout(bytes: &[u8]) -> Option<u64> {
    match workbook_stream(bytes) {
        Ok(stream) => Some(most_cells_held(&stream)),
        Err(Stop::Runaway) => Some(u64::MAX),
        Err(Stop::Unreadable) => None,
    }
}

/// Whether the workbook declares itself encrypted: a FILEPASS record among its globals,
/// for RC4 or for the old XOR obfuscation (whose scrambled records would otherwise be
/// read as sheets of billions of cells). Either way it opens only with its password.
pub fn encrypted(bytes: &[u8]) -> bool {
    let Ok(stream) = workbook_stream(bytes) else { return false };
    for record in records(&stream) {
        match record {
            Some((0x002F, _)) => return true,
            // The globals end at the first sheet's name or their EOF; FILEPASS comes first.
            Some((0x0085 | 0x000A, _)) | None => return false,
            _ => {}
        }
    }
    false
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// calamine's `to_u32`, which asserts a whole number of entries.
fn u32s(b: &[u8]) -> Result<Vec<u32>, Stop> {
    if !b.len().is_multiple_of(4) {
        return Err(Stop::Unreadable);
    }
    Ok(b.as_chunks::<4>().0.iter().map(|c| u32::from_le_bytes(*c)).collect())
}

/// calamine's `Sectors`: sector `id` is `src[id * size..]`, where `src` is what follows the
/// header (or, for mini sectors, the mini stream and then the rest of the file, since
/// calamine reads on from where its reader stands). Like calamine, remember how far reads
/// went: past the end of the file a first read gets a short sector, a later one zeros.
struct Sectors<'a> {
    src: Cow<'a, [u8]>,
    size: usize,
    maxid: u64,
    filled: usize,
}

impl Sectors<'_> {
    fn get(&mut self, id: u32) -> Result<Vec<u8>, Stop> {
        if u64::from(id) > self.maxid {
            return Err(Stop::Unreadable); // SectorBeyondEof
        }
        let start = id as usize * self.size;
        let mut end = start + self.size;
        if end > self.filled {
            let read_to = self.filled.max(self.src.len().min(end));
            self.filled = end;
            if start > read_to {
                return Err(Stop::Unreadable); // calamine panics: slice start past its end
            }
            end = read_to;
        }
        let mut sector = self.src.get(start..end.min(self.src.len())).unwrap_or_default().to_vec();
        sector.resize(end - start, 0);
        Ok(sector)
    }

    /// calamine's `get_chain`: sectors until ENDOFCHAIN or `len` bytes. A chain that visits
    /// more sectors than exist loops; calamine would go round until `len` (for directories,
    /// for ever), so it is a runaway, not something to replay.
    fn chain(&mut self, mut id: u32, next: &[u32], len: usize) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut steps = 0u64;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.maxid.saturating_add(1) {
                return Err(Stop::Runaway);
            }
            let sector = self.get(id)?;
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(sector.get(..take).unwrap_or_default());
            if out.len() >= len {
                break;
            }
            id = *next.get(id as usize).ok_or(Stop::Unreadable)?; // calamine: index panic
        }
        Ok(out)
    }
}

/// Whether a directory entry's name is `want`, as calamine compares it: the 64 name bytes
/// decoded by encoding_rs (which honours a byte-order mark), cut at the first NUL, ASCII
/// case ignored.
fn name_is(raw: &[u8], want: &str) -> bool {
    let units: Vec<u16> = match raw {
        [0xEF, 0xBB, 0xBF, rest @ ..] => rest.iter().map(|&b| u16::from(b)).collect(),
        [0xFE, 0xFF, rest @ ..] => rest.as_chunks::<2>().0.iter().map(|c| u16::from_be_bytes(*c)).collect(),
        [0xFF, 0xFE, rest @ ..] | rest => rest.as_chunks::<2>().0.iter().map(|c| u16::from_le_bytes(*c)).collect(),
    };
    let name: Vec<u16> = units.into_iter().take_while(|&u| u != 0).collect();
    name.len() == want.len() && name.iter().zip(want.bytes()).all(|(&u, w)| u < 0x80 && (u as u8).eq_ignore_ascii_case(&w))
}

/// The "Workbook" (or "Book") stream, read as calamine's `Cfb::new` and `get_stream` do.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, Stop> {
    let header = bytes.get(..512).ok_or(Stop::Unreadable)?;
    let at16 = |at| u16_at(header, at).ok_or(Stop::Unreadable);
    let at32 = |at| u32_at(header, at).ok_or(Stop::Unreadable);
    let size = match at16(30)? {
        9 => 512,
        12 if bytes.len() >= 4096 => 4096,
        _ => return Err(Stop::Unreadable),
    };
    if !header.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) || at16(32)? != 6 {
        return Err(Stop::Unreadable);
    }
    let maxid = (bytes.len() / size) as u64;
    let src = Cow::Borrowed(bytes.get(size..).unwrap_or_default());
    let mut sectors = Sectors { src, size, maxid, filled: 0 };

    // The DIFAT: 109 entries in the header, then a chain where each sector's last entry
    // points to the next (calamine pops it, whatever the sector held).
    let mut difat = u32s(header.get(76..512).unwrap_or_default())?;
    let mut id = at32(68)?;
    let mut difat_sectors = 0u64;
    while id < RESERVED_SECTORS {
        difat_sectors += 1;
        if difat_sectors > maxid + 1 {
            return Err(Stop::Unreadable);
        }
        difat.extend(u32s(&sectors.get(id)?)?);
        id = difat.pop().ok_or(Stop::Unreadable)?;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|&id| id < DIFSECT) {
        fat.extend(u32s(&sectors.get(id)?)?);
        if fat.len() > MAX_FAT_ENTRIES.max(bytes.len() / 4 + size) {
            return Err(Stop::Runaway);
        }
    }

    let dirs = sectors.chain(at32(48)?, &fat, usize::MAX)?;
    let dirs: Vec<&[u8]> = dirs.chunks_exact(128).collect();
    let entry = |d: &[u8]| -> (u32, usize) {
        let start = u32_at(d, 116).unwrap_or(ENDOFCHAIN);
        // A 32-bit size in version 3 files (512-byte sectors), 64-bit in version 4.
        let len = match size {
            512 => u32_at(d, 120).map(u64::from),
            _ => u32_at(d, 120).zip(u32_at(d, 124)).map(|(lo, hi)| (u64::from(hi) << 32) | u64::from(lo)),
        };
        (start, len.unwrap_or(0).try_into().unwrap_or(usize::MAX))
    };
    let (root_start, root_len) = dirs.first().map(|d| entry(d)).ok_or(Stop::Unreadable)?;
    if at16(26)? != 3 && root_start == ENDOFCHAIN {
        return Err(Stop::Unreadable); // EmptyRootDir
    }

    // The mini stream (the root entry's chain) and the mini FAT, when the header has one.
    let (ministream, minifat) = match at32(64)? as usize {
        0 => (Vec::new(), Vec::new()),
        n => {
            let ministream = sectors.chain(root_start, &fat, root_len)?;
            (ministream, u32s(&sectors.chain(at32(60)?, &fat, n * size)?)?)
        }
    };
    // calamine's mini sectors read on from where its file reader stands.
    let reader_at = size + sectors.filled.min(sectors.src.len());
    let mut tail = ministream;
    let filled = tail.len();
    tail.extend_from_slice(bytes.get(reader_at..).unwrap_or_default());
    let mut minis = Sectors { src: Cow::Owned(tail), size: 64, maxid: maxid * 8, filled };

    let mut last = Err(Stop::Unreadable);
    for name in ["Workbook", "Book"] {
        let Some(d) = dirs.iter().find(|d| name_is(d.get(..64).unwrap_or_default(), name)) else { continue };
        let (start, len) = entry(d);
        last = if len < 4096 { minis.chain(start, &minifat, len) } else { sectors.chain(start, &fat, len) };
        // calamine tries "Book" after any error with "Workbook"; a runaway is no error to it.
        if !matches!(last, Err(Stop::Unreadable)) {
            break;
        }
    }
    last
}

/// A bounding box of cell positions, as `Range::from_sparse` computes it.
#[derive(Default)]
struct Span(Option<(u32, u32, u32, u32)>);

impl Span {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        let (r0, r1, c0, c1) = self.0.unwrap_or((row, row, first_col, last_col));
        self.0 = Some((r0.min(row), r1.max(row), c0.min(first_col), c1.max(last_col)));
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1))
    }
}

/// One BIFF record `[type u16][len u16][data]` and what follows it; None when the stream
/// ends inside it (calamine's EoStream error). A CONTINUE is one more record we ignore.
fn record(s: &[u8]) -> Option<(u16, &[u8], &[u8])> {
    let len = usize::from(u16_at(s, 2)?);
    Some((u16_at(s, 0)?, s.get(4..4 + len)?, s.get(4 + len..)?))
}

/// The records of a stream, each None if cut short (the last one then).
fn records(mut s: &[u8]) -> impl Iterator<Item = Option<(u16, &[u8])>> {
    std::iter::from_fn(move || {
        if s.is_empty() {
            return None;
        }
        let found = record(s);
        s = found.map_or(&[], |(_, _, rest)| rest);
        Some(found.map(|(typ, data, _)| (typ, data)))
    })
}

/// calamine's `parse_workbook`, counting: each sheet (found by its BOUNDSHEET's offset) is
/// read to its EOF, skipping embedded substreams. Its cell list holds what its DIMENSIONS
/// `reserve`d (or what was pushed), while the block spanned by its values is laid out; then
/// the block spanned by its formulas. calamine keeps every sheet's blocks, so the count is
/// the most it holds at once: a thousand BOUNDSHEETs naming one 9M-cell sheet are 9G cells.
fn most_cells_held(stream: &[u8]) -> u64 {
    let mut sheets = Vec::new();
    for record in records(stream) {
        match record {
            None => return 0, // calamine fails before any sheet is laid out
            Some((0x002F, d)) if u16_at(d, 0) != Some(0) => return 0, // encrypted: refused
            Some((0x0085, d)) => sheets.extend(u32_at(d, 0)),
            Some((0x000A, _)) => break,
            _ => {}
        }
    }
    let (mut kept, mut peak) = (0u64, 0u64);
    for pos in sheets {
        // calamine panics on an offset past the stream (`&stream[pos..]`), ending the read.
        let Some(sheet) = stream.get(pos as usize..) else { break };
        let (mut values, mut formulas, mut pushed, mut reserved) = (Span::default(), Span::default(), 0u64, 0u64);
        let (mut formula_at, mut seen_bof, mut depth) = ((0, 0), false, 0u32);
        for record in records(sheet) {
            let Some((typ, d)) = record else { return peak.max(kept.saturating_add(reserved)) };
            let row_col = (u16_at(d, 0).map(u32::from), u16_at(d, 2).map(u32::from));
            let mut cell = |at: Option<(u32, u32)>, need: usize, span: &mut Span| match at {
                Some((r, c)) if d.len() >= need => {
                    span.add(r, c, c);
                    pushed += 1;
                    true
                }
                _ => false,
            };
            let ok = match (depth, typ) {
                (0, 0x0809) if !seen_bof => { seen_bof = true; true }
                (_, 0x0809) => { depth += 1; true }
                (0, 0x000A) => break,
                (_, 0x000A) => { depth -= 1; true }
                (1.., _) => true,
                // Within the grid a BIFF8 sheet can have, calamine's reservation is
                // address space it never touches beyond the cells there are (A1:IV65536
                // declared around four cells costs four cells); past it, a forged
                // DIMENSIONS would make the allocation fail, and that aborts.
                (_, 0x0200) => match dimensions(d) {
                    Some(n) if n <= BIFF8_GRID => true,
                    Some(n) => { reserved = reserved.max(pushed.saturating_add(n)); true }
                    None => false,
                },
                (_, 0x0203) => cell(row_col.0.zip(row_col.1), 14, &mut values),
                (_, 0x0204 | 0x00D6) => cell(row_col.0.zip(row_col.1), 6, &mut values),
                (_, 0x0205) => cell(row_col.0.zip(row_col.1), 8, &mut values),
                (_, 0x027E | 0x00FD) => cell(row_col.0.zip(row_col.1), 10, &mut values),
                (_, 0x0207) => cell(Some(formula_at), 0, &mut values),
                (_, 0x0006) if d.len() >= 20 => {
                    formula_at = (row_col.0.unwrap_or(0), row_col.1.unwrap_or(0));
                    formulas.add(formula_at.0, formula_at.1, formula_at.1);
                    // A string result comes in the STRING record that follows.
                    let string = d.get(6) == Some(&0) && d.get(12..14) == Some(&[0xFF, 0xFF]);
                    string || cell(Some(formula_at), 20, &mut values)
                }
                (_, 0x0006) => false,
                (_, 0x00BD) => match mul_rk(d) {
                    Some((row, first, n)) if n > 0 => {
                        values.add(row, first, first + n - 1);
                        pushed += u64::from(n);
                        true
                    }
                    other => other.is_some(),
                },
                _ => true,
            };
            if !ok {
                return peak.max(kept.saturating_add(reserved)); // calamine's error ends the read
            }
        }
        let (held, values, formulas) = (reserved.max(pushed), values.cells(), formulas.cells());
        let sheet_peak = held.saturating_add(values).max(values.saturating_add(formulas));
        peak = peak.max(kept.saturating_add(sheet_peak));
        kept = kept.saturating_add(values).saturating_add(formulas);
    }
    peak
}

/// The cells a DIMENSIONS record makes calamine reserve (`parse_dimensions`, then
/// `(end - start + 1)` rows and columns, wrapping as a release build does).
fn dimensions(d: &[u8]) -> Option<u64> {
    let (rf, rl, cf, cl) = match d.len() {
        10 => (u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?), u16_at(d, 4)?, u16_at(d, 6)?),
        // The BIFF8 form has 32-bit rows.
        14 | 16 => (u32_at(d, 0)?, u32_at(d, 4)?, u16_at(d, 8)?, u16_at(d, 10)?),
        _ => return None,
    };
    let (mut cf, cl) = (u32::from(cf), u32::from(cl));
    if cf > 0xFF || cl < cf {
        cf = 0; // calamine's repair: a first column past IV starts at A
    }
    let (start, end) = if rl >= 1 && cl >= 1 { ((rf, cf), (rl - 1, cl - 1)) } else { ((rf, cf), (rf, cf)) };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1);
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1);
    Some(u64::from(rows) * u64::from(cols))
}

/// A MULRK's row, first column and number of cells, if calamine accepts its length.
fn mul_rk(d: &[u8]) -> Option<(u32, u32, u32)> {
    let (row, first, last) = (u16_at(d, 0)?, u16_at(d, 2)?, u16_at(d, d.len().checked_sub(2)?)?);
    let n = last.wrapping_sub(first).wrapping_add(1);
    (d.len() >= 6 && d.len() == 6 + 6 * usize::from(n)).then_some((u32::from(row), u32::from(first), u32::from(n)))
}

#[cfg(test)]
mod tests {
    use super::largest_layout;
    use calamine::{Reader, Xls};
    use std::path::PathBuf;

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// The real xls files at hand: the shared sample and the hostile fixtures' LibreOffice ones.
    fn real_xls() -> Vec<(String, Vec<u8>)> {
        let dirs = [root().join("../shared/samples/inbox"), root().join("fixtures/hostile/inbox")];
        let mut files: Vec<_> = dirs
            .iter()
            .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "xls"))
            .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read(&p).ok()?)))
            .collect();
        files.sort();
        assert!(files.iter().any(|(n, _)| n == "R4上期_教育政策課.xls"), "the shared sample is there: {files:?}");
        files
    }

    /// The cells calamine keeps laid out (every sheet's values and formulas), when it opens the file.
    fn calamine_kept(bytes: &[u8]) -> Option<u64> {
        let mut wb = Xls::new(std::io::Cursor::new(bytes)).ok()?;
        let size = |(r, c): (usize, usize)| (r * c) as u64;
        let mut kept = 0;
        for n in wb.sheet_names() {
            kept += size(wb.worksheet_range(&n).ok()?.get_size()) + size(wb.worksheet_formula(&n).ok()?.get_size());
        }
        Some(kept)
    }

    #[test]
    fn real_files_count_what_calamine_lays_out() {
        for (name, bytes) in real_xls() {
            let guard = largest_layout(&bytes);
            match name.as_str() {
                // Encrypted (FILEPASS): calamine refuses it before any sheet.
                "R6上期_農林課.xls" => assert_eq!(guard, Some(0)),
                // A PDF with a workbook's name: not a compound file.
                "R6上期_障害福祉課.xls" => assert_eq!(guard, None),
                _ => {
                    let kept = calamine_kept(&bytes).unwrap_or_else(|| panic!("{name}: calamine reads it"));
                    let guard = guard.unwrap_or_else(|| panic!("{name}: the guard reads it"));
                    // At least the blocks calamine keeps; more only by a sheet's cell list,
                    // reserved by DIMENSIONS for the same used area in these files.
                    assert!(guard >= kept && guard <= kept.max(1) * 2, "{name}: guard {guard}, calamine {kept}");
                    assert!(guard < 100_000, "{name}: a report is small ({guard})");
                }
            }
        }
    }

    #[test]
    fn the_bombs_are_counted() {
        let read = |n: &str| std::fs::read(root().join("fixtures/hostile").join(n)).expect("bomb");
        // The cell list (2 cells, or the reserve) is still held while the block is laid out.
        assert_eq!(largest_layout(&read("xls-bomb-far-cells.xls")), Some(2 + 65_536 * 65_536));
        assert_eq!(largest_layout(&read("xls-bomb-dimensions.xls")), Some(0xFFFF_FFFF * 256 + 1));
        // 999 sheets kept, and the last one's list and block.
        assert_eq!(largest_layout(&read("xls-bomb-many-sheets.xls")), Some(1000 * 3000 * 3000 + 2));
    }

    #[test]
    fn a_directory_chain_that_loops_never_ends() {
        // The bombs' FAT is sector 0; entry 1 is the directory's next sector: point it at itself.
        let mut bytes = std::fs::read(root().join("fixtures/hostile/xls-bomb-far-cells.xls")).expect("bomb");
        bytes[516..520].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(largest_layout(&bytes), Some(u64::MAX));
    }

    /// Bytes calamine reads although a plain compound-file reader would not: the guard must
    /// see them too, or a bomb hides there. Each was checked to abort calamine 0.38.
    #[test]
    fn what_calamine_reads_is_counted() {
        let far = std::fs::read(root().join("fixtures/hostile/xls-bomb-far-cells.xls")).expect("bomb");
        let far_cells = Some(2 + 65_536 * 65_536);
        let entry = 1024 + 128; // the directory is sector 1; "Workbook" its second entry
        // A byte-order mark before the name: encoding_rs drops it, calamine finds "Workbook".
        let mut bom = far.clone();
        let name: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Workbook".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        bom[entry..entry + 64].fill(0);
        bom[entry..entry + name.len()].copy_from_slice(&name);
        assert_eq!(largest_layout(&bom), far_cells);
        // A 64-byte stream goes through the mini stream; with no mini FAT calamine reads its
        // mini sector from where its file reader stands: just after the directory.
        let rec = |typ: u16, data: &[u8]| [&typ.to_le_bytes()[..], &(data.len() as u16).to_le_bytes(), data].concat();
        let number = |row: u16, col: u16| rec(0x0203, &[&row.to_le_bytes()[..], &col.to_le_bytes(), &[0; 10]].concat());
        let stream = [
            rec(0x0809, &[0, 6]),
            rec(0x0085, &[22, 0, 0, 0, 0, 0, 0, 0]),
            rec(0x000A, &[]),
            rec(0x0809, &[0, 6]),
            number(0, 0),
            number(0xFFFF, 0xFFFF),
        ]
        .concat();
        assert_eq!(stream.len(), 64);
        let mut mini = far.clone();
        mini[1536..1600].copy_from_slice(&stream);
        mini[entry + 116..entry + 128].copy_from_slice(&[0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(largest_layout(&mini), far_cells);
        // The stream's last sector (9) loops to its first (2), and it claims 1 MB: calamine
        // goes round until then.
        let mut looped = far.clone();
        looped[512 + 4 * 9..512 + 4 * 10].copy_from_slice(&2u32.to_le_bytes());
        looped[entry + 120..entry + 128].copy_from_slice(&(1u64 << 20).to_le_bytes());
        assert_eq!(largest_layout(&looped), Some(u64::MAX));
    }

    #[test]
    fn other_bytes_are_not_counted() {
        assert_eq!(largest_layout(b""), None);
        assert_eq!(largest_layout(b"PK\x03\x04 a zip"), None);
        assert_eq!(largest_layout(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), None);
        assert_eq!(largest_layout(&[0u8; 4096]), None);
    }

    /// Cut and scrambled files never panic, and whenever the guard lets calamine open one,
    /// calamine keeps no more than the guard counted.
    #[test]
    fn damaged_files_never_panic_and_bound_calamine() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        for (name, bytes) in real_xls().into_iter().filter(|(_, b)| b.starts_with(&[0xD0, 0xCF])) {
            let cuts = (0..24).map(|i| bytes.len() * i / 24).chain([511, 512, 513, 4095, 4096]);
            let mut damaged: Vec<Vec<u8>> = cuts.map(|cut| bytes[..cut.min(bytes.len())].to_vec()).collect();
            for _ in 0..150 {
                let mut b = bytes.clone();
                for _ in 0..1 + next() % 8 {
                    let at = (next() % b.len() as u64) as usize;
                    b[at] ^= 1 << (next() % 8);
                }
                damaged.push(b);
            }
            for b in damaged {
                let guard = largest_layout(&b);
                if guard.is_some_and(|n| n <= 10_000_000) {
                    let laid_out = std::panic::catch_unwind(|| calamine_kept(&b)).ok().flatten();
                    assert!(laid_out.is_none_or(|n| n <= guard.unwrap_or(0)), "{name}: guard {guard:?}, calamine {laid_out:?}");
                    checked += usize::from(laid_out.is_some());
                }
            }
        }
        assert!(checked > 10, "calamine opened some damaged files ({checked})");
    }
}
