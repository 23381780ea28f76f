//! The Japanese text functions torimatome and its plugins share: NFKC and look-alike
//! letters (`text`), eras, fiscal years, dates and half-year periods (`era`), the number
//! forms departments write (`number`), and status vocabularies (`status`). Pure functions:
//! text in, values out, `None` or an error rather than a guess.

pub mod era;
pub mod number;
pub mod status;
pub mod text;
