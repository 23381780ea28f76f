# torimatome's words in English: the command line on systems in other languages than
# Japanese (the book is always in Japanese, ja.ftl). The same ids as ja.ftl, in the same
# order (tests/it/messages.rs checks). Texts a plugin passes ({ $why }) go in as they are.

## Why a file does not count

lock-file = Excel owner (lock) file
hidden-file = hidden file
excluded = excluded by the pipeline's patterns
not-workbook-name = not a workbook by its name
cannot-open = cannot open the file (in use, or no permission)
cannot-open-todo = close the file and run again
archive-unreadable = the zip archive cannot be unpacked
archive-unreadable-todo = ask for the zip again
archive-password = a password-protected zip, and no password opens it
archive-password-todo = write the password the department sent into the pipeline's passwords file and run again
reader-failed = the reader failed on this file
reader-failed-todo = report it as a torimatome bug
layout-plugin-failed = a layout plugin could not read it: { $failures }
wrong-template = wrong template: sheet { $sheet } has no { $missing } column
wrong-template-todo = ask for the report on the current template
no-layout = matches no declared layout (sheets: { $sheets })
no-layout-more = { $sheets } and { $more } more
no-layout-todo = declare a layout for this kind of workbook in the pipeline
department-not-on-roster = department not on the roster: { $why }
department-not-on-roster-todo = add it to the roster (or its aliases), or ask for the name as on the roster
no-department-anywhere = no department in the file or its name
no-department = no department can be read
no-department-todo = ask for the department cell to be filled in
another-period = reports on another period ({ $stated }): collecting { $expected }
another-period-todo = ask the sender which period the file reports
superseded = superseded by { $by }
superseded-todo = nothing: the newer file is consolidated
undecided = cannot tell which of { $winner } and { $others } is newer (same report date and revision mark): { $winner } consolidated by name order
undecided-todo = ask the department which is the latest; remove the others from the inbox or mark the latest (修正版(2)) and run again

## What is wrong in a file that counts, at a sheet or a cell

department-lookalike-todo = ask for the name typed as on the roster (counted as that department)
text-warning-todo = check the characters
layout-failed = the plugin layout { $layout } failed on this sheet (details in the technical column)
layout-failed-todo = sheet skipped; report it to the plugin's maker
step-failed = the plugin step { $step } failed on the { $role } column (details in the technical column)
step-failed-todo = consolidated without this step here; report it to the plugin's maker
value-todo = ask the department to check and correct the cell
value-warning-todo = confirm the value was read right
status-todo = ask for a status mark from the legend
status-not-counted = status { $label } is none of the statuses the book counts ({ $statuses })
status-not-counted-todo = map the pipeline's status vocabulary to the statuses the book counts
no-project = a row without a project
no-project-todo = ask the department to name the project
missing-column = no { $name } column in the header: { $rows } rows consolidated without it
missing-column-todo = check the template; ask for the report with the column back
value-header = the header names no kind of value (baseline, plan, actual) and fiscal year
value-header-todo = write the header like R4計画値
report-date-todo = ask for the report date as a date

## Files that cannot be read

zero-bytes = zero-byte file
password-protected = password-protected workbook
password-protected-todo = ask for the file without its password
truncated = truncated file (zip central directory missing)
too-large = too large when unpacked: { $part } exceeds { $limit } MB (decompression bomb?)
too-many-cells = too large: sheet { $part } lays out { $cells } cells or more
beyond-grid = a cell beyond Excel's grid: sheet { $sheet }, row { $row }, column { $col }
not-a-workbook = not a workbook ({ $what })
not-a-workbook-text = a text file with a spreadsheet's name
not-a-workbook-pdf = PDF
not-a-workbook-unknown = unknown format
old-excel = an Excel 2.x–4.0 workbook (BIFF{ $biff })
old-excel-todo = ask for it opened in Excel and saved as .xlsx
no-sheets = corrupt workbook: it has no sheets
sector-loop = corrupt workbook: the compound file's sector chains loop
corrupt = corrupt workbook: parts of it cannot be read
corrupt-todo = check it opens in Excel: if so ask for it saved again, if not for a new file
unreadable-todo = ask the sender for a file that opens

## What became of a file (入力ファイル)

outcome-consolidated = consolidated
outcome-superseded = superseded
outcome-ignored = ignored
outcome-error = error

## The command line

cli-about = 進捗報告の取りまとめ: consolidate department progress reports into one progress book
cli-usage = Usage
cli-commands = Commands
cli-arguments = Arguments
cli-options = Options
cli-help = Print help
cli-version = Print version
cli-lang = The language of messages (ja or en); by default the system's
cli-pipeline = The pipeline file (YAML)
cli-validate = Check a pipeline file and list every problem with its line and column
cli-run = Read the inbox and write the progress book
cli-run-inbox = Read this folder instead of the pipeline's inbox
cli-run-out = Write the book here instead of the pipeline's output
cli-run-records = Also write every consolidated value to this file: .csv, .parquet, or a folder of Parquet parts by period (period=2023H2/records.parquet)
cli-run-strict = Exit non-zero when the book lists any problem
cli-run-no-cache = Read every file afresh: neither use nor keep the rerun cache (a hidden .torimatome-cache folder beside the book, keyed by content)
cli-run-open = Open the book when it is written, in the program that opens .xlsx files (Excel)
cli-verify = Rerun from a manifest (or a book beside its manifest) and say what differs
cli-verify-manifest = The manifest (BOOK.manifest.json) or the book
cli-verify-inbox = Read this copy of the inbox instead of the one the manifest names
cli-lock = Pin the pipeline's plugins as they are now, accepting a deliberate update
validate-ok = { $path }: OK ({ $name }, { $layouts } layouts, steps: { $steps })
pipeline-problems = { $count ->
        [one] 1 problem
       *[other] { $count } problems
    } in the pipeline
reading-files = reading { $files } files
summary = { $book }: { $files } files ({ $consolidated } consolidated, { $superseded } superseded, { $ignored } ignored, { $errors } errors); rows read { $read } = consolidated { $rows } + set aside { $aside }; { $problems } problems; departments { $submitted }/{ $roster } submitted, { $failed } failed, { $missing } missing
pinned-plugins = pinned the plugins in { $path }
pinned-in = pinned in { $path }
warning = warning: { $message }
open-failed = cannot open the book { $path }: { $why }
error = error: { $message }
cannot-verify = cannot verify: { $message }

## What stops a run

inbox-unreadable = cannot read the inbox { $path }: { $why }
output-unwritable = cannot write { $path }: { $why }
output-not-xlsx = cannot write { $path }: the book is an Excel workbook: give it a name ending in .xlsx
output-not-csv = cannot write { $path }: the records are CSV or Parquet: give it a name ending in .csv or .parquet, or name a folder (a Parquet part per period)
output-in-inbox = cannot write { $path }: outputs never go into the inbox: the next run would read them as submissions
output-is-folder = a folder is in its place
book-failed = making the book failed: { $why }
no-period = no file states its period (R4上期, 2022H1, 令和4年度 上期): give period.fiscal_year and period.half in the pipeline
summary-without-records = book.summary (a summary book) needs somewhere for the rows: run with --records OUT.parquet (or a folder)

## verify

verify-manifest-unreadable = cannot read { $path }: { $why }
verify-not-manifest = { $path } is not a torimatome manifest: { $why }
verify-pipeline-unreadable = cannot read the pipeline { $path }: { $why }
verify-pipeline-broken = the pipeline does not load:
verify-pipeline-same = pipeline: unchanged ({ $path })
verify-pipeline-changed = pipeline: CHANGED { $path } (sha256 { $before } → { $after })
verify-plugin-changed = plugin: CHANGED { $name } (sha256 { $before } → { $after })
verify-plugin-missing = plugin: MISSING { $name } (was sha256 { $before })
verify-plugin-added = plugin: ADDED { $name } (sha256 { $after })
verify-plugins-same = plugins: unchanged ({ $names })
verify-previous-same = last period: unchanged ({ $path })
verify-previous-changed = last period: CHANGED { $path } (sha256 { $before } → { $after }); rerun without 前期比
verify-previous-missing = last period: MISSING { $path } (was sha256 { $before }); rerun without 前期比
verify-input-changed = changed: { $name } (sha256 { $before } → { $after }, { $size-before } → { $size-after } bytes)
verify-input-missing = missing: { $name } (sha256 { $before })
verify-input-added = added: { $name } (sha256 { $after })
verify-inputs-same = inputs: unchanged ({ $files } files in { $inbox })
verify-inputs-changed = inputs: { $count } differences in { $inbox }
verify-book-same = book: identical (sha256 { $sha })
verify-book-differs = book: DIFFERS (sha256 { $before } → { $after })
verify-more-lines = … and { $count } more lines
verify-rows-gone = rows of { $file } gone from 進捗一覧: { $count }
verify-rows-new = rows of { $file } new in 進捗一覧: { $count }
verify-value-changed = value changed: { $row }, 「{ $column }」: { $before } → { $after }
verify-book-uncomparable = book: DIFFERS (sha256 { $before } → { $after }); the recorded book { $path } is missing or was changed, so cells cannot be compared
verify-book-unreadable = the { $which } book cannot be read: { $why }
verify-sheet-gone = { $sheet }: sheet no longer in the book
verify-sheet-new = { $sheet }: sheet new in the book
verify-identical = identical
verify-differs = differs: { $what }
verify-inputs-changed-short = inputs changed
verify-setup-changed-short = pipeline or plugins changed
verify-book-differs-short = book differs

## Problems in a pipeline (validate, run)

config-read = cannot read the pipeline file: { $why }
config-not-utf8 = the pipeline file is not UTF-8
config-verbatim = { $text }
config-unknown-role = unknown role `{ $name }`; known roles: { $known }
config-period-source = unknown period source `{ $name }`; expected file_name or title
config-order-key = unknown order key `{ $name }`; expected report_date, revision or file_name
config-max-unpacked = limits.max_unpacked_mb must be between 1 and 65536, not { $value }
config-bad-pattern = bad file pattern: { $why }
config-bad-regex = bad regular expression: { $why }
config-period-missing = period: give fiscal_year and half, or where files state it (check: [file_name, title])
config-period-half = period: give both fiscal_year and half, or neither
config-fiscal-year = `{ $value }` names no fiscal year (write 2022 or 令和4年度)
config-half = `{ $value }` is not a half; write 上期 or 下期
config-roster-unreadable = cannot read roster file { $path }: { $why }
config-roster-empty = the roster names no department (roster.file or roster.departments)
config-roster-twice = department { $name } is on the roster twice
config-alias-not-on-roster = aliases given for { $name }, which is not on the roster
config-layout-department = department { $name } is not on the roster
config-plugin-layout = a plugin layout names its `layout` (and `plugin` when several offer it)
config-layout-kind = unknown layout kind `{ $name }`; expected table or plugin
config-column-empty = column `{ $name }` lists no header text
config-required-undeclared = required column `{ $name }` is not among this layout's columns
config-fill-down-undeclared = fill-down column `{ $name }` is not among this layout's columns
config-project-required = a table layout must require the `project` column
config-header-rows = header rows must be 1 or 2, not { $value }
config-values-empty = values: name at least one group header (指標値, 実績値), or leave values out
config-indicator-rule = an indicator rule names the indicators it is for: `name` or `unit` (a regular expression)
config-direction = unknown direction `{ $name }`; expected increase, decrease or keep
config-note-column = notes have names of their own: write them under `notes` (状況: [令和4年度状況], 備考: [備考])
config-note-empty = note `{ $name }` lists no header text
config-note-twice = note `{ $name }` is named twice
config-passwords-unreadable = cannot read the passwords file { $path }: { $why }
config-passwords-line = passwords file line { $line }: write a file-name pattern, a tab, then the password
config-created = `{ $value }` is not a date-time like 2022-10-01T09:00:00
config-plugins-in-inbox = plugins never load from the inbox: name another directory
config-plugin-not-found = plugin { $name } not found ({ $file } in { $dirs }); build it with `cargo build`
config-plugin-refused = plugin { $name } ({ $path }) refused: { $why }
config-no-provider = no loaded plugin offers the { $kind } `{ $name }` (loaded: { $loaded })
config-several-providers = several plugins offer the { $kind } `{ $name }`: say which with `plugin:`
config-unknown-option = { $kind } { $what }: unknown option `{ $name }`; it takes: { $known }
config-unknown-option-none = { $kind } { $what }: unknown option `{ $name }`; it takes: none
config-option-type = { $kind } { $what }: option `{ $name }` must be a { $type }
config-option-required = { $kind } { $what }: option `{ $name }` is required ({ $description })
config-status-label = { $kind } { $what }: `{ $label }` is not a status the book counts; map the marks to one of { $statuses }
config-plugin-said = { $kind } { $what } ({ $plugin }): { $why }
config-lock-unreadable = cannot read { $path }: { $why }
config-lock-line = { $path }:{ $line }: expected `plugin-name library-path sha256`
config-lock-differs = plugin { $name } ({ $path }) is not the one pinned in { $lock } (pinned sha256 { $pinned }…, found { $found }…); if it was updated deliberately, accept it with `torimatome lock { $pipeline }`
config-lock-unwritable = cannot write { $path }: { $why }

## inspect: what torimatome sees in a workbook

role-goal = goal
role-measure = measure
role-project = project
role-indicator = indicator
role-unit = unit
role-status = status
role-department = department
role-other = other
kind-baseline = baseline
kind-plan = plan
kind-actual = actual
kind-unknown = unknown kind
form-number = number
form-percent-cell = number in a % cell
form-date = date
form-text-number = number typed as text
form-full-width = full-width
form-comma = thousands separators
form-percent = with %
form-approx = approximate (約)
form-minus = minus (▲ △)
form-unit-attached = unit attached
form-dash = no value (－)
form-not-measured = not measured
form-increase-target = increase target (↗)
form-unreadable = not readable as a number
inspect-file-period = period { $period } (from the name)
inspect-file-revision = revision mark { $mark } (revision { $number })
inspect-error = cannot be read: { $why }
inspect-sheet = sheet "{ $sheet }" { $area }
inspect-hidden = (hidden: never read)
inspect-empty = empty
inspect-merges = { $count } merged areas: { $merges }
inspect-merges-unknown = no merged areas known
inspect-title = title: { $title }
inspect-labelled = { $label } → { $cell } { $text }
inspect-table = table: header at row { $row }, { $headers } rows; data rows { $rows } ({ $count } rows)
inspect-end-legend = ends: legend or note at row { $row } "{ $text }"
inspect-end-blank = ends: { $count } blank rows from row { $row }
inspect-end-sheet = ends: with the sheet (row { $row })
inspect-blank-inside = blank rows inside the data (at most { $count } in a row)
inspect-role-field = { $role } ({ $key })
inspect-role-note = note "{ $name }" (notes)
inspect-role-value = value: { $kind } under { $group } (fiscal year { $year })
inspect-role-unknown = not read (header not known)
inspect-fill-one = { $role } merged { $merged }, typed once above { $typed }
inspect-fill = columns continuing the cell above: { $fill }
inspect-marks = status marks: { $marks }
inspect-grades = A–D grades: { $marks }
inspect-legend = legend: { $legend }
inspect-forms = value forms: { $forms }
inspect-departments = departments on the rows: { $departments }
inspect-card = action-plan card: { $labels }
inspect-card-years = year row: { $years }
inspect-nothing = neither a table nor a card found
inspect-cannot-read = cannot read the file: { $why }

## guess: a pipeline written from an inbox (its YAML comments, and names the book shows)

guess-head = A pipeline torimatome guess wrote from the { $files } files of an inbox ({ $readable } readable).
    The comment above each key says what it does. Check the TODO lines, see each file's verdict with `torimatome preview`, then consolidate with `torimatome run`.
guess-key-name = the pipeline's name, shown by validate and on 概要
guess-name = { $collection } 進捗状況 { $period }
guess-key-inbox = the shared folder departments drop their files into (relative to this file)
guess-key-output = the progress book to write; its manifest and the rerun cache go beside it
guess-key-files-include = file-name patterns (* and ?) of the files that belong to the collection
guess-key-files-exclude = file-name patterns set aside without reading (Excel's ~$ lock files always are)
guess-key-period = the period collected: the one { $votes } of { $files } file names state
guess-periods-other = files whose names state another period (set aside as another period's): { $files }
guess-period-none = TODO: no file name states a period: write fiscal_year (令和4年度) and half (上期 or 下期)
guess-key-period-check = where a file states its own period (file_name: its name, title: the text above its table); a file of another period is set aside
guess-key-roster-file = the roster: one department a line (# starts a comment); { $count } departments now
guess-roster-not-on = files of departments not on the roster (set aside; add them to the roster if they belong): { $departments }
guess-key-roster-departments = the roster (the departments asked to submit): those found in file names and department cells
guess-roster-confirm = TODO: confirm: add the departments that have not submitted, remove what is no department (or name a roster file in roster.file)
guess-roster-placeholder = 課名
guess-key-aliases = roster name → other spellings a department writes (compared as written, look-alike letters included)
guess-key-department-label = labels beside which a workbook names its department (the cell to the right)
guess-key-from-file-name = when no label gives the department, take a roster name found in the file name
guess-key-report-date-label = labels beside which a workbook gives its report date (found in { $count } files)
guess-key-revision-marks = extra marks of a corrected file (regular expressions; a capture group is the revision number); 修正版, 修正版(2), 修正2, 訂正, 差替, 再提出, 第2版, v2, Ver.3 are always known
guess-revisions-seen = revision marks found: { $files }
guess-revisions-unmarked = TODO: the files { $files } of { $department } carry no revision mark: without report dates, name order decides and is listed as a problem; write their mark as a regular expression, or ask the department
guess-key-order = which of a department's files of one layout counts, first key first: report_date, revision (the mark), file_name (natural order)
guess-key-plugins-dirs = folders plugins load from (relative to this file); the profile part is debug or release
guess-key-plugins-load = plugins to load: torimatome-ja (Japanese normalization), torimatome-cards (action-plan cards)
guess-key-layouts = the kinds of sheet to read (templates), tried in order
guess-layout-seen = a template found in { $sheets } sheets of { $files } files: { $names }
guess-key-layout-name = the layout's name, in 入力ファイル and 部署別
guess-layout-kpi = KPI表 (指標一覧)
guess-layout-list = 取組一覧
guess-layout-grades = 自己評価一覧 (A–D)
guess-layout-cards = アクションプラン (カード)
guess-key-plan = the plan its projects belong to (概要 counts each plan apart; without it, the layout's name)
guess-plan-placeholder = 計画の名前
guess-key-kind-table = table: a table torimatome reads, its columns found by their header texts
guess-key-kind-plugin = plugin: a layout a plugin reads (torimatome-cards' action_plan_card: cards read by their labels)
guess-key-sheets = regular expressions on the names of the sheets to read (hidden sheets are never read)
guess-key-compiled-department = the department that compiles this list of many departments' rows: the file counts as its submission, and the departments on the rows are the actions' owners, not submitters
guess-compiled-todo = TODO: confirm which department compiles this list of many departments' rows (guessed: named on its rows, sent no file of its own, a planning office); the file counts as its submission
guess-key-grades = the status column holds A–D grades: kept for 評価一覧, every row counted
guess-key-header-search = how many rows from the top to look for the header (the deepest header is at row { $row })
guess-key-header-rows = header rows: 2 for group cells (指標値) over sub-headers (R3計画値)
guess-key-columns = role → header texts naming its column (as found; width and spaces do not matter)
guess-key-required = roles a sheet must have; a sheet with some but not all is listed as a wrong template
guess-required-optional = roles most sheets lack (not required): { $roles }
guess-key-notes = what departments write beside their figures: the note's name in the book → its column's headers
guess-unknown-headers = headers not read (add them to columns or notes if they matter): { $headers }
guess-key-values-groups = group headers over the baseline and plan columns
guess-key-values-actual = group headers over this period's actual
guess-key-fill-down = roles whose blank cells continue the cell above (merged cells always show their top-left value; { $typed } cells were typed once with blanks below)
guess-key-stop-at = a row whose first text matches one of these ends the table (a legend, a note)
guess-key-blank-rows = this many blank rows in a row end the table (at most { $inside } blank rows inside the data)
guess-key-layout-steps = normalization for this layout alone (another status scale)
guess-key-vocabulary = the book's status → the marks and words that mean it
guess-key-steps = the normalization of every layout's values, in order
guess-key-step-fullwidth = full-width digits and letters to ASCII; look-alike letters listed
guess-key-step-era = era years (R3計画値, 令和4年9月30日) to fiscal years and dates
guess-key-step-numbers = reads numbers as departments write them (5,081, 約3,000, ▲16.7, 87.2%, (本年度未測定))
guess-key-percent-units = units whose bare fractions are percentages
guess-key-bare-fractions = read 0.872 in a % row without a number format as 87.2 (flagged for a look)
guess-key-step-status = status marks to the four statuses (from the { $seen } marks found and the legends)
guess-status-todo = TODO: marks nobody knows (add each to one of the statuses above, or they are listed as problems): { $marks }
guess-key-step-departments = department names matched to the roster (width, spaces, aliases, an organisation prefix)
guess-key-indicators = how each indicator's achievement is measured (without rules, everything rises: actual ÷ plan)
guess-indicators-example = an example (remove the # to use it):
    indicators:
      - name: "待ち時間|所要時間|紙の申請"
        direction: decrease
      - name: "増減率|前年比"
        change: true
      - name: "設置率"
        direction: keep
guess-no-layout = TODO: neither a table nor a card found: look at the inbox's workbooks with `torimatome inspect` and write a layout
guess-key-book-title = the title on 概要 and at the top of every printed page
guess-title = { $collection } 進捗状況一覧 ({ $period })
guess-key-book-created = the creation time written into the book (fixed: reruns give the same bytes)
guess-written = wrote { $path }: read it, check the TODO lines, and see each file's verdict with `torimatome preview { $path }`
guess-invalid = the pipeline written has problems (fix them and validate):

## preview: every file's verdict, no book written

preview-head = { $name } ({ $period }): { $files } files, { $consolidated } consolidated, { $superseded } superseded, { $ignored } ignored, { $errors } errors; { $rows } rows to consolidate
preview-no-layout = no layout
preview-file = { $verdict } | { $department } | { $layout } | rows { $read } read, { $rows } consolidated
preview-problems = { $count } problems: { $kinds }
preview-more = … and { $count } more
preview-unrecognised = { $count } headers no layout reads (add them to columns or notes if they matter):
preview-departments = each department's consolidated files:
preview-winner = { $layout }: { $winner } consolidated over { $others } ({ $why })
preview-failed = { $department }: files arrived and cannot count ({ $files })
preview-missing = missing: { $departments }
preview-kind-value = value
preview-kind-status = status
preview-kind-header = header
preview-kind-department = department
preview-kind-text = text
preview-kind-project = project
preview-kind-plugin = plugin
preview-kind-date = report date
preview-kind-resubmission = resubmission
preview-kind-file = file

## The command line: a first collection

cli-inspect = Show what torimatome sees in workbooks: sheets, tables, each header's role, merged areas, where data ends, marks and value forms
cli-inspect-files = The workbooks to look at (a folder: every file in it)
cli-inspect-json = Print JSON, for tools
cli-guess = Write a pipeline for an inbox, and validate it
cli-guess-inbox = The inbox folder
cli-guess-roster = The roster file (one department a line)
cli-guess-out = Write the pipeline here (without it, to standard output)
cli-guess-plugins = The plugin folder to name in the pipeline (without it, the folder torimatome is in)
cli-preview = Show every file's verdict under a pipeline without writing a book: layout, rows, problems, the file that counts

## Period over period (run --previous)

cli-run-previous = The last period's manifest (or book): add a 前期比 sheet comparing this period with it
previous-refused = the last period's manifest { $path } cannot be used: { $why }
previous-unreadable = it cannot be read ({ $why })
previous-not-manifest = it is not a torimatome manifest ({ $why })
previous-book-missing = the book it names, { $book }, is not there
previous-book-changed = the book { $book } differs from the SHA-256 the manifest gives (it was changed)
previous-no-snapshot = it records no snapshot, which 前期比 needs (consolidate the last period again with this version of torimatome)
previous-summary-book = it is the manifest of a summary book (book.summary), which leaves no rows for 前期比 (consolidate the last period again without book.summary, or leave previous out)
previous-snapshot-missing = the snapshot it names, { $snapshot }, is not there
previous-snapshot-changed = the snapshot { $snapshot } differs from the SHA-256 the manifest gives (it was changed)
previous-not-snapshot = { $snapshot } is not a torimatome snapshot ({ $why })

## The next period's forms (template) and feedback (run --feedback)

cli-template = write the next period's report form (the KPI table the pipeline reads) for each department on the roster
cli-template-out = the folder to write the forms into
cli-template-previous = the last period's manifest (its book's projects, indicators, baselines and plans go into the forms)
cli-template-period = the forms' period (令和5年度上期, 2023H1 …; by default the one after the pipeline's)
cli-run-feedback = for each department with problems, write a copy of its workbook with the problem cells marked, and a text for an e-mail, into this folder
template-written = wrote { $count } forms for { $period } into { $path }
template-no-table = the pipeline has no KPI table to make a form of (a kind: table layout with values and a two-row header)
template-no-period = the pipeline leaves the period open (give one with --period)
template-bad-period = not a period: { $period } (write it as 令和5年度上期 or 2023H1)
template-previous-unreadable = cannot read the last period's book: { $path }: { $why }
feedback-in-inbox = the feedback folder { $path } is inside the inbox (give a folder outside it)
feedback-written = feedback: wrote { $count } departments' files into { $path }
form-title = { $period } { $plan } progress report ({ $department })
form-baseline-header = { $year } actual
form-plan-header = { $year } plan
form-actual-first-half = end of September
form-actual-second-half = end of March
form-legend = ※{ $status }: { $marks }
form-status-check = choose from the list: { $marks }
form-value-check-title = number
form-value-check = write a number. Forms with 約, 万, % and so on, written as the guide says, can be entered as they are.
form-guide-sheet = guide
form-guide-inputs-heading = cells to fill in
form-guide-inputs = write in the yellow cells. Leave the grey cells (projects, indicators, baselines and plans copied from the last report), the headers and the sheet name as they are. New projects or indicators go in the empty rows below.
form-guide-numbers-heading = numbers
form-guide-numbers = half-width and full-width digits are read (１２３ is 123), so are thousands separators (5,081), 約 for an approximate figure (約1,200), 万 (1.2万 is 12,000), percentages (87.2%) and ▲ or △ for a minus (▲16.7). A unit written with a figure must be the indicator's (14,000 時間). A figure with 以上, 未満 and the like cannot be read.
form-guide-empty-heading = no figure
form-guide-empty = leave the cell empty or write －. For an indicator not measured this year write (本年度未測定).
form-guide-years-heading = years and dates
form-guide-years = fiscal years are read as 令和5年度, R5, H30, 令和元年度 or 2023年度. Write the report date as 令和5年10月5日, R5.10.5 or 2023/10/5.
form-guide-status-line = { $marks } ({ $status }): { $meaning }
form-meaning-achieved = the indicator is achieved, or will be
form-meaning-in-progress = going as planned
form-meaning-behind = behind, countermeasures needed
form-meaning-none = nothing done this year, or finished
form-guide-submit-heading = submitting
form-guide-submit = when done, put the file into the shared folder without renaming it. To send a corrected file, add 修正版 at the end of its name.
feedback-greeting = To { $department }
feedback-intro = the files you sent for the { $period } progress report ({ $title }) have { $count } points to correct.
feedback-deadline = please correct them and send the file again by [date].
feedback-file = ■ file: { $file }
feedback-copy = a copy with the problem cells marked in yellow, with notes: { $copy }
feedback-whole-file = the whole file
feedback-raw = "{ $raw }"
feedback-what = what is wrong: { $what }
feedback-todo = what to do: { $todo }
feedback-closing = please ask the office compiling the reports if anything is unclear.
