//! A CSV file read into named string columns, with errors that name the file, the line and the
//! column. Plots read the saved outputs through this, never the simulation's types.

use super::PlotError;

pub(super) struct Table {
    file: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(super) fn parse(file: &str, bytes: &[u8]) -> Result<Table, PlotError> {
        let err = |message: String| PlotError::Input {
            file: file.to_string(),
            message,
        };
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
        let header: Vec<String> = r
            .headers()
            .map_err(|e| err(format!("cannot read the header: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        if header.iter().all(|h| h.is_empty()) {
            return Err(err("empty file: expected a CSV header line".into()));
        }
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| err(format!("malformed CSV: {e}")))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(Table {
            file: file.to_string(),
            header,
            rows,
        })
    }

    pub(super) fn header(&self) -> &[String] {
        &self.header
    }

    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.header.iter().any(|h| h == name)
    }

    fn index(&self, name: &str) -> Result<usize, PlotError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| PlotError::Input {
                file: self.file.clone(),
                message: format!("no column `{name}` in the header"),
            })
    }

    /// The cells of column `name`, as text.
    pub(super) fn strings(&self, name: &str) -> Result<Vec<&str>, PlotError> {
        let i = self.index(name)?;
        Ok(self
            .rows
            .iter()
            .map(|r| r.get(i).map(String::as_str).unwrap_or(""))
            .collect())
    }

    /// The cells of column `name` as numbers; an empty cell is `None` (no datapoint).
    pub(super) fn numbers(&self, name: &str) -> Result<Vec<Option<f64>>, PlotError> {
        let i = self.index(name)?;
        self.rows
            .iter()
            .enumerate()
            .map(|(n, r)| {
                let cell = r.get(i).map(String::as_str).unwrap_or("").trim();
                if cell.is_empty() {
                    return Ok(None);
                }
                cell.parse::<f64>().map(Some).map_err(|_| PlotError::Input {
                    file: self.file.clone(),
                    // Line 1 is the header.
                    message: format!("line {}, column `{name}`: `{cell}` is not a number", n + 2),
                })
            })
            .collect()
    }

    /// Like [`Table::numbers`], with every cell required.
    pub(super) fn required(&self, name: &str) -> Result<Vec<f64>, PlotError> {
        let v = self.numbers(name)?;
        v.iter()
            .enumerate()
            .map(|(n, x)| {
                x.ok_or_else(|| PlotError::Input {
                    file: self.file.clone(),
                    message: format!("line {}, column `{name}`: empty, a number is required", n + 2),
                })
            })
            .collect()
    }
}
