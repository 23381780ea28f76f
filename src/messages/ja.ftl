# torimatome の言葉: 進捗ブックのすべてのセルと、日本語のシステムでのコマンドライン。
# en.ftl と同じ id を同じ順に持つ (tests/it/messages.rs が確かめる)。
# { $why } などプラグインが渡す文はそのまま入る。

## ファイルが集計されない理由

lock-file = Excel の作業中ロックファイル
hidden-file = 隠しファイル
excluded = パイプラインの除外パターンに該当
not-workbook-name = ブックの拡張子ではない
cannot-open = ファイルを開けない (使用中か権限がない)
cannot-open-todo = ファイルを閉じてから再実行
archive-unreadable = zip ファイルを展開できない
archive-unreadable-todo = zip を作り直して再提出を依頼
archive-password = パスワード付きの zip で、どのパスワードでも開けない
archive-password-todo = 担当課から届いたパスワードをパイプラインのパスワードファイルに書いて再実行
reader-failed = 読み込み中に内部エラー
reader-failed-todo = torimatome の不具合として報告
layout-plugin-failed = プラグインのレイアウトで読めない: { $failures }
wrong-template = 様式が違う: シート「{ $sheet }」に { $missing } の列がない
wrong-template-todo = 正しい様式での再提出を依頼
no-layout = 宣言したどの様式にも合わない (シート: { $sheets })
no-layout-more = { $sheets } ほか { $more } 枚
no-layout-todo = この様式を読むレイアウトをパイプラインに宣言
department-not-on-roster = { $why }
department-not-on-roster-todo = 名簿 (または別名) に加えるか、名簿どおりの課名での記入を依頼
no-department-anywhere = 担当課がファイルにもファイル名にもない
no-department = 担当課が読めない
no-department-todo = 担当課欄の記入を依頼
another-period = 別の期 ({ $stated }) の報告: 集計するのは { $expected }
another-period-todo = どの期の報告か提出元に確認
superseded = { $by } に差し替え
superseded-todo = 対応不要 (新しい方を集計)
undecided = { $winner } と { $others } のどちらが新しいか判定できない (報告日も版の印も同じ): 名前の順で { $winner } を集計
undecided-todo = 担当課にどれが最新か確認し、古い方を受付フォルダから外すか名前に「修正版(2)」などと付けて再実行

## ファイルの中の問題 (シートやセル)

department-lookalike-todo = 担当課名を名簿どおりに打ち直すよう依頼 (集計は名簿の課として済み)
text-warning-todo = 文字を確認
layout-failed = プラグインのレイアウト { $layout } がこのシートで失敗 (詳しくは技術情報の欄)
layout-failed-todo = このシートは読まずに続行。プラグインの作成者に報告
step-failed = プラグインの処理 { $step } が { $role } の列で失敗 (詳しくは技術情報の欄)
step-failed-todo = この列はこの処理なしで集計。プラグインの作成者に報告
value-todo = 担当課にセルの確認・修正を依頼
value-warning-todo = 読み方が正しいか確認
status-todo = 進捗区分を凡例の記号で記入するよう依頼
status-not-counted = 進捗区分「{ $label }」は集計する区分 ({ $statuses }) のどれでもない
status-not-counted-todo = パイプラインの進捗区分の語彙を集計する区分に対応させる
no-project = 事業名のない行
no-project-todo = 事業名を記入するよう依頼
missing-column = 見出しに「{ $name }」の列がない: { $rows } 行をこの列なしで集計
missing-column-todo = 様式が正しいか確認し、列を戻した様式での再提出を依頼
value-header = 見出しから基準値・計画値・実績値と年度が読めない
value-header-todo = 見出しを「R4計画値」のように直す
report-date-todo = 報告日を日付で記入するよう依頼

## 読めないファイル

zero-bytes = 空のファイル (0 バイト)
password-protected = パスワードで保護されたブック
password-protected-todo = パスワードを外したファイルの再提出を依頼
truncated = 途中で切れたファイル (zip の中央ディレクトリがない)
too-large = 展開すると大きすぎる ({ $part } が { $limit } MB 超。圧縮爆弾の疑い)
too-many-cells = シートが大きすぎる ({ $part }: { $cells } セル以上)
beyond-grid = Excel の範囲外のセル (シート { $sheet }: { $row } 行 { $col } 列)
not-a-workbook = Excel ブックではない ({ $what })
not-a-workbook-text = 表計算の名前のテキストファイル
not-a-workbook-pdf = PDF
not-a-workbook-unknown = 不明な形式
old-excel = Excel 2.x–4.0 の古い形式 (BIFF{ $biff })
old-excel-todo = Excel で開いて .xlsx 形式で保存し直したものを依頼
no-sheets = 壊れたブック: シートが一つもない
sector-loop = 壊れたブック: 複合ファイルのセクタの連鎖が循環している
corrupt = 壊れたブック (読めない部分がある)
corrupt-todo = Excel で開けるか確かめ、開けるなら保存し直したものを、開けないなら作り直しを依頼
unreadable-todo = 提出元に開けるファイルの再提出を依頼

## ファイルの結果 (入力ファイル)

outcome-consolidated = 取りまとめ済
outcome-superseded = 差し替え済
outcome-ignored = 対象外
outcome-error = エラー

## コマンドライン

cli-about = 進捗報告の取りまとめ: 各課の進捗報告ブックを一冊の進捗ブックにまとめる
cli-usage = 使い方
cli-commands = コマンド
cli-arguments = 引数
cli-options = オプション
cli-help = ヘルプを表示
cli-version = バージョンを表示
cli-lang = 表示の言語 (ja か en)。省略するとシステムの言語
cli-pipeline = パイプラインのファイル (YAML)
cli-validate = パイプラインを確かめ、問題をすべて行と列つきで挙げる
cli-run = 受付フォルダを読み、進捗ブックを書く
cli-run-inbox = パイプラインの受付フォルダの代わりにこのフォルダを読む
cli-run-out = パイプラインの出力の代わりにここへブックを書く
cli-run-records = 集計したすべての値をこのファイルにも書く: .csv、.parquet、または期ごとの Parquet の部分を置くフォルダ (period=2023H2/records.parquet)
cli-run-strict = ブックに問題が一つでもあれば 0 以外で終了
cli-run-no-cache = すべてのファイルを読み直す: 再実行用のキャッシュ (ブックの横の隠しフォルダ .torimatome-cache) を使わず、残さない
cli-run-open = 書き終えたブックを開く (.xlsx を開くプログラム、Excel で)
cli-verify = マニフェスト (またはその横のブック) から再実行し、違いを挙げる
cli-verify-manifest = マニフェスト (BOOK.manifest.json) かブック
cli-verify-inbox = マニフェストにある受付フォルダの代わりにこの写しを読む
cli-lock = パイプラインのプラグインを今の版で固定する (意図した更新を受け入れる)
validate-ok = { $path }: OK ({ $name }、レイアウト { $layouts } 個、処理: { $steps })
pipeline-problems = パイプラインに問題が { $count } 件
reading-files = { $files } ファイルを読み込み中
summary = { $book }: { $files } ファイル (集計 { $consolidated }、差し替え { $superseded }、対象外 { $ignored }、エラー { $errors })。読込 { $read } 行 = 集計 { $rows } + 除外 { $aside }。問題 { $problems } 件。提出 { $submitted }/{ $roster } 課 (集計できず { $failed }、未提出 { $missing })
pinned-plugins = プラグインを { $path } に固定した
pinned-in = { $path } に固定した
warning = 警告: { $message }
open-failed = ブック { $path } を開けない: { $why }
error = エラー: { $message }
cannot-verify = 検証できない: { $message }

## 実行を止める問題

inbox-unreadable = 受付フォルダ { $path } を読めない: { $why }
output-unwritable = { $path } に書けない: { $why }
output-not-xlsx = { $path } に書けない: ブックは Excel ブックなので名前を .xlsx で終える
output-not-csv = { $path } に書けない: 記録は CSV か Parquet なので名前を .csv か .parquet で終えるか、フォルダを指定する (期ごとに Parquet の部分)
output-in-inbox = { $path } に書けない: 出力は受付フォルダに置かない (次の実行が提出ファイルとして読んでしまう)
output-is-folder = 同じ名前のフォルダがある
book-failed = ブックを作れなかった: { $why }
no-period = どのファイルも対象期間 (R4上期、2022H1、令和4年度 上期) を書いていない: パイプラインに period.fiscal_year と period.half を書く
summary-without-records = book.summary (要約の帳票) には明細の出力先が要る: --records 出力先.parquet (またはフォルダ) を付けて実行する

## verify

verify-manifest-unreadable = { $path } を読めない: { $why }
verify-not-manifest = { $path } は torimatome のマニフェストではない: { $why }
verify-pipeline-unreadable = パイプライン { $path } を読めない: { $why }
verify-pipeline-broken = パイプラインを読み込めない:
verify-pipeline-same = パイプライン: 変更なし ({ $path })
verify-pipeline-changed = パイプライン: 変更あり { $path } (sha256 { $before } → { $after })
verify-plugin-changed = プラグイン: 変更あり { $name } (sha256 { $before } → { $after })
verify-plugin-missing = プラグイン: なくなった { $name } (元は sha256 { $before })
verify-plugin-added = プラグイン: 追加 { $name } (sha256 { $after })
verify-plugins-same = プラグイン: 変更なし ({ $names })
verify-previous-same = 前期: 変更なし ({ $path })
verify-previous-changed = 前期: 変更あり { $path } (sha256 { $before } → { $after })。前期比なしで再実行
verify-previous-missing = 前期: なくなった { $path } (元は sha256 { $before })。前期比なしで再実行
verify-input-changed = 変更: { $name } (sha256 { $before } → { $after }、{ $size-before } → { $size-after } バイト)
verify-input-missing = なくなった: { $name } (sha256 { $before })
verify-input-added = 追加: { $name } (sha256 { $after })
verify-inputs-same = 入力: 変更なし ({ $inbox } の { $files } ファイル)
verify-inputs-changed = 入力: { $inbox } で { $count } 件の違い
verify-book-same = ブック: 同一 (sha256 { $sha })
verify-book-differs = ブック: 異なる (sha256 { $before } → { $after })
verify-more-lines = ほか { $count } 行
verify-rows-gone = { $file } の行が進捗一覧からなくなった: { $count } 行
verify-rows-new = { $file } の行が進捗一覧に加わった: { $count } 行
verify-value-changed = 値が変わった: { $row } の「{ $column }」: { $before } → { $after }
verify-book-uncomparable = ブック: 異なる (sha256 { $before } → { $after })。記録されたブック { $path } がないか変更されていて、セルを比べられない
verify-book-unreadable = { $which ->
        [recorded] 記録された
       *[rerun] 再実行の
    }ブックを読めない: { $why }
verify-sheet-gone = { $sheet }: ブックからなくなったシート
verify-sheet-new = { $sheet }: ブックに新しいシート
verify-identical = 同一
verify-differs = 異なる: { $what }
verify-inputs-changed-short = 入力の変更
verify-setup-changed-short = パイプラインかプラグインの変更
verify-book-differs-short = ブックの違い

## パイプラインの問題 (validate、run)

config-read = パイプラインのファイルを読めない: { $why }
config-not-utf8 = パイプラインのファイルが UTF-8 ではない
config-verbatim = { $text }
config-unknown-role = 不明な役割 `{ $name }`。使える役割: { $known }
config-period-source = 不明な期間の出所 `{ $name }`。file_name か title を書く
config-order-key = 不明な順序のキー `{ $name }`。report_date、revision、file_name のどれかを書く
config-max-unpacked = limits.max_unpacked_mb は 1 から 65536 まで ({ $value } ではなく)
config-bad-pattern = ファイル名のパターンが不正: { $why }
config-bad-regex = 正規表現が不正: { $why }
config-period-missing = period: fiscal_year と half を書くか、ファイルのどこに期間があるかを書く (check: [file_name, title])
config-period-half = period: fiscal_year と half は両方書くか、どちらも書かない
config-fiscal-year = `{ $value }` から年度が読めない (2022 か 令和4年度 と書く)
config-half = `{ $value }` は上期・下期ではない。上期か下期と書く
config-roster-unreadable = 名簿ファイル { $path } を読めない: { $why }
config-roster-empty = 名簿に課が一つもない (roster.file か roster.departments)
config-roster-twice = 課 { $name } が名簿に二度ある
config-alias-not-on-roster = 別名のある { $name } が名簿にない
config-layout-department = 課 { $name } が名簿にない
config-plugin-layout = プラグインのレイアウトには `layout` を (複数のプラグインが持つなら `plugin` も) 書く
config-layout-kind = 不明なレイアウトの種類 `{ $name }`。table か plugin を書く
config-column-empty = 列 `{ $name }` に見出しの文字が一つもない
config-required-undeclared = 必須の列 `{ $name }` がこのレイアウトの columns にない
config-fill-down-undeclared = 埋める列 `{ $name }` がこのレイアウトの columns にない
config-project-required = 表のレイアウトは `project` の列を必須 (required) にする
config-header-rows = header.rows は 1 か 2 ({ $value } ではなく)
config-values-empty = values: グループの見出し (指標値、実績値) を一つは書くか、values を省く
config-indicator-rule = 指標の規則には対象の指標を `name` か `unit` (正規表現) で書く
config-direction = 不明な向き `{ $name }`。increase、decrease、keep のどれかを書く
config-note-column = 備考の列は `notes` に名前をつけて書く (状況: [令和4年度状況], 備考: [備考])
config-note-empty = 備考 `{ $name }` に見出しの文字が一つもない
config-note-twice = 備考 `{ $name }` の名前が二度ある
config-passwords-unreadable = パスワードファイル { $path } を読めない: { $why }
config-passwords-line = パスワードファイルの { $line } 行目: ファイル名のパターン、タブ、パスワードの順に書く
config-created = `{ $value }` は 2022-10-01T09:00:00 のような日時ではない
config-plugins-in-inbox = プラグインは受付フォルダから読み込まない。別のフォルダを書く
config-plugin-not-found = プラグイン { $name } が見つからない ({ $file } を { $dirs } で探した)。`cargo build` でビルドする
config-plugin-refused = プラグイン { $name } ({ $path }) を読み込めない: { $why }
config-no-provider = 読み込んだどのプラグインも{ $kind ->
        [step] 処理
       *[layout] レイアウト
    } `{ $name }` を持たない (読み込んだもの: { $loaded })
config-several-providers = 複数のプラグインが{ $kind ->
        [step] 処理
       *[layout] レイアウト
    } `{ $name }` を持つ: `plugin:` でどれかを書く
config-unknown-option = { $kind ->
        [step] 処理
       *[layout] レイアウト
    } { $what }: 不明なオプション `{ $name }`。使えるもの: { $known }
config-unknown-option-none = { $kind ->
        [step] 処理
       *[layout] レイアウト
    } { $what }: 不明なオプション `{ $name }`。オプションはない
config-option-type = { $kind ->
        [step] 処理
       *[layout] レイアウト
    } { $what }: オプション `{ $name }` は { $type } で書く
config-option-required = { $kind ->
        [step] 処理
       *[layout] レイアウト
    } { $what }: オプション `{ $name }` は必須 ({ $description })
config-status-label = { $kind ->
        [step] 処理
       *[layout] レイアウト
    } { $what }: `{ $label }` はブックが数える進捗区分ではない。記号を { $statuses } のどれかに対応させる
config-plugin-said = { $kind ->
        [step] 処理
       *[layout] レイアウト
    } { $what } ({ $plugin }): { $why }
config-lock-unreadable = { $path } を読めない: { $why }
config-lock-line = { $path }:{ $line }: `プラグイン名 ライブラリのパス sha256` と書く
config-lock-differs = プラグイン { $name } ({ $path }) は { $lock } に固定したものではない (固定 sha256 { $pinned }…、今 { $found }…)。意図した更新なら `torimatome lock { $pipeline }` で受け入れる
config-lock-unwritable = { $path } に書けない: { $why }

## inspect: torimatome がブックに見るもの

role-goal = 基本目標
role-measure = 施策
role-project = 事業
role-indicator = 指標
role-unit = 単位
role-status = 進捗区分
role-department = 担当課
role-other = その他
kind-baseline = 基準値
kind-plan = 計画値
kind-actual = 実績値
kind-unknown = 種類不明
form-number = 数値
form-percent-cell = % 書式の数値
form-date = 日付
form-text-number = 文字で書いた数値
form-full-width = 全角
form-comma = 桁区切り
form-percent = % 付き
form-approx = 約 (概数)
form-minus = マイナス (▲ △)
form-unit-attached = 単位付き
form-dash = 値なし (－)
form-not-measured = 未測定
form-increase-target = 増加目標 (↗)
form-unreadable = 数値として読めない
inspect-file-period = 期 { $period } (ファイル名から)
inspect-file-revision = 版の印 { $mark } (第 { $number } 版)
inspect-error = 読めない: { $why }
inspect-sheet = シート「{ $sheet }」 { $area }
inspect-hidden = (非表示: 読まない)
inspect-empty = 空
inspect-merges = 結合セル { $count } 個: { $merges }
inspect-merges-unknown = 結合セルの情報がない
inspect-title = 表題: { $title }
inspect-labelled = { $label } → { $cell } { $text }
inspect-table = 表: 見出し { $row } 行目から { $headers } 行、データ { $rows } 行目 ({ $count } 行)
inspect-end-legend = 終わり: { $row } 行目の凡例・注記「{ $text }」
inspect-end-blank = 終わり: { $row } 行目から空行が { $count } 行
inspect-end-sheet = 終わり: シートの最後 ({ $row } 行目)
inspect-blank-inside = データの途中に空行 (最長 { $count } 行続く)
inspect-role-field = { $role } ({ $key })
inspect-role-note = 記述欄「{ $name }」(notes)
inspect-role-value = 値: { $group } の { $kind } ({ $year } 年度)
inspect-role-unknown = 読まない (知らない見出し)
inspect-fill-one = { $role } 結合 { $merged }・上に一度だけ記入 { $typed }
inspect-fill = 上のセルを引き継ぐ列: { $fill }
inspect-marks = 進捗区分の記号: { $marks }
inspect-grades = A–D の評価: { $marks }
inspect-legend = 凡例: { $legend }
inspect-forms = 値の書き方: { $forms }
inspect-departments = 行ごとの担当課: { $departments }
inspect-card = アクションプランのカード: { $labels }
inspect-card-years = 年度の行: { $years }
inspect-nothing = 表もカードも見つからない
inspect-cannot-read = ファイルを読めない: { $why }

## guess: 受付フォルダからパイプラインを書く (YAML のコメントと、ブックに出る名前)

guess-head = torimatome guess が受付フォルダの { $files } ファイル (読めたもの { $readable }) から書いたパイプライン。
    各キーの上のコメントがその意味。TODO の行を確かめてから `torimatome preview` で各ファイルの結果を見て、`torimatome run` で集計する。
guess-key-name = パイプラインの名前 (validate と 概要 に出る)
guess-name = { $collection } 進捗状況 { $period }
guess-key-inbox = 各課がファイルを置く受付フォルダ (このファイルからの相対パス)
guess-key-output = 書き出す進捗ブック。マニフェストと再実行用キャッシュはその横に置く
guess-key-files-include = 取りまとめに含めるファイル名のパターン (* と ?)
guess-key-files-exclude = 読まずに除くファイル名のパターン (Excel の ~$ ロックファイルは常に除く)
guess-key-period = 集計する期: ファイル名 { $files } 件のうち { $votes } 件が示す期
guess-periods-other = ほかの期を名前に持つファイル (別の期として除かれる): { $files }
guess-period-none = TODO: 期を示すファイル名がない。fiscal_year (令和4年度) と half (上期/下期) を書く
guess-key-period-check = ファイルが自分の期を示す場所 (file_name: 名前、title: 表の上の表題)。別の期のファイルは除く
guess-key-roster-file = 名簿: 1 行に 1 課 (# はコメント)。今 { $count } 課
guess-roster-not-on = 名簿にない課のファイル (除かれる。取りまとめるなら名簿に加える): { $departments }
guess-key-roster-departments = 名簿 (提出を求める課)。ファイル名と担当課欄から拾った課
guess-roster-confirm = TODO: 確かめる。まだ提出していない課を加え、課でないものを消す (名簿ファイルがあれば roster.file に)
guess-roster-placeholder = 課名
guess-key-aliases = 名簿の課名 → その課が書く別の表記 (そのまま比較。見た目の似た文字も含む)
guess-key-department-label = ブックが担当課を書く欄のラベル (右のセルが担当課名)
guess-key-from-file-name = ラベルで課が分からないとき、ファイル名の中の名簿の課名を使う
guess-key-report-date-label = 報告日を書く欄のラベル (見つかったのは { $count } ファイル)
guess-key-revision-marks = 修正版の印 (正規表現、捕獲グループは版の番号) を足す。修正版、修正版(2)、修正2、訂正、差替、再提出、第2版、v2、Ver.3 は常に分かる
guess-revisions-seen = 見つかった版の印: { $files }
guess-revisions-unmarked = TODO: { $department } のファイル { $files } に版の印がない。報告日がなければ名前の順で決まり、問題として挙がる。印を正規表現で書くか、提出元に確かめる
guess-key-order = 同じ課・同じ様式の複数ファイルのどれを集計するか、先の鍵から: report_date (報告日)、revision (版の印)、file_name (名前の自然順)
guess-key-plugins-dirs = プラグインを読むフォルダ (このファイルからの相対パス)。profile の欄は debug か release
guess-key-plugins-load = 読むプラグイン: torimatome-ja (日本語の正規化)、torimatome-cards (アクションプランのカード)
guess-key-layouts = 読むシートの種類 (様式)。上から順に試す
guess-layout-seen = { $files } ファイルの { $sheets } シートに見つかった様式: { $names }
guess-key-layout-name = 様式の名前 (入力ファイル、部署別に出る)
guess-layout-kpi = KPI表 (指標一覧)
guess-layout-list = 取組一覧
guess-layout-grades = 自己評価一覧 (A–D)
guess-layout-cards = アクションプラン (カード)
guess-key-plan = この様式の事業が属する計画 (概要は計画ごとに数える。書かなければ様式の名前)
guess-plan-placeholder = 計画の名前
guess-key-kind-table = table: torimatome が見出しの文字で列を見つけて読む表
guess-key-kind-plugin = plugin: プラグインが読む様式 (torimatome-cards の action_plan_card: ラベルで読むカード)
guess-key-sheets = 読むシート名の正規表現 (非表示のシートは読まない)
guess-key-compiled-department = 多くの課の行をまとめた一覧を作る課: ファイルはこの課の提出になり、行の担当課は取組の担当 (提出した課ではない)
guess-compiled-todo = TODO: 多くの課の行をまとめた一覧を作る課を確かめる (推測: 行に名があり自分のファイルを出していない、企画・政策・経営の課)。ファイルはこの課の提出になる
guess-key-grades = 進捗区分の列が A–D の評価: 評価一覧に残し、全行を数える
guess-key-header-search = 見出しを探す上からの行数 (一番深い見出しは { $row } 行目)
guess-key-header-rows = 見出しの行数: 2 はグループ (指標値) の下に小見出し (R3計画値)
guess-key-columns = 役割 → その列を示す見出しの文字 (実際に見つかった表記。全角半角・空白は区別しない)
guess-key-required = シートに必要な役割。一部だけあるシートは様式違いとして挙げる
guess-required-optional = 多くのシートにない役割 (必須にしない): { $roles }
guess-key-notes = 各課が数値の横に書く記述: ブックでの名前 → その列の見出し
guess-unknown-headers = 読まない見出し (必要なら columns か notes に加える): { $headers }
guess-key-values-groups = 基準値・計画値の列の上のグループ見出し
guess-key-values-actual = 今期の実績の列の上のグループ見出し
guess-key-fill-down = 空欄が上のセルを引き継ぐ役割 (結合セルは常に左上の値。一度だけ記入して下を空けた欄が { $typed } 個)
guess-key-stop-at = 行の最初の文字がこれに合えば表の終わり (凡例、注記)
guess-key-blank-rows = 空行がこの数だけ続けば表の終わり (データの途中の空行は最長 { $inside } 行)
guess-key-layout-steps = この様式だけの正規化 (別の評価の尺度)
guess-key-vocabulary = ブックの進捗区分 → それを意味する記号・言葉
guess-key-steps = すべての様式の値を正規化する処理 (順に)
guess-key-step-fullwidth = 全角の数字・英字を半角に。見た目の似た文字を挙げる
guess-key-step-era = 元号の年 (R3計画値、令和4年9月30日) を年度・日付に
guess-key-step-numbers = 数値の書き方 (5,081、約3,000、▲16.7、87.2%、(本年度未測定)) を読む
guess-key-percent-units = 小数を % として読む単位
guess-key-bare-fractions = 書式のない % の行の 0.872 を 87.2 と読む (印を付けて挙げる)
guess-key-step-status = 進捗区分の記号を四つの区分に (見つかった記号 { $seen } 種類と凡例から)
guess-status-todo = TODO: 意味の分からない記号 (上のどれかの区分に加える。加えなければ問題として挙がる): { $marks }
guess-key-step-departments = 担当課名を名簿の課に合わせる (全角半角、空白、別名、組織名の前置き)
guess-key-indicators = 指標の達成率の測り方 (書かなければ すべて 実績÷計画 で増えるもの)
guess-indicators-example = 例 (# を外して使う):
    indicators:
      - name: "待ち時間|所要時間|紙の申請"
        direction: decrease
      - name: "増減率|前年比"
        change: true
      - name: "設置率"
        direction: keep
guess-no-layout = TODO: 表もカードも見つからなかった。`torimatome inspect` で受付フォルダのブックを見て様式を書く
guess-key-book-title = 概要と印刷した各ページの上に出る表題
guess-title = { $collection } 進捗状況一覧 ({ $period })
guess-key-book-created = ブックに書く作成日時 (固定: 再実行で同じバイトになる)
guess-written = { $path } に書いた。読んで TODO を確かめ、`torimatome preview { $path }` で各ファイルの結果を見る
guess-invalid = 書いたパイプラインに問題がある (下を直して validate):

## preview: 各ファイルの結果 (ブックは書かない)

preview-head = { $name } ({ $period }): { $files } ファイル、集計 { $consolidated }、差し替え { $superseded }、対象外 { $ignored }、エラー { $errors }。集計する行 { $rows }
preview-no-layout = 様式なし
preview-file = { $verdict } | { $department } | { $layout } | 行 { $read } 読み { $rows } 集計
preview-problems = 問題 { $count }: { $kinds }
preview-more = … ほか { $count } 件
preview-unrecognised = 様式が読まない見出し { $count } 個 (必要なら columns か notes に加える):
preview-departments = 課ごとの集計ファイル:
preview-winner = { $layout }: { $winner } を集計 ({ $others } より。{ $why })
preview-failed = { $department }: 届いたが集計できない ({ $files })
preview-missing = 未提出: { $departments }
preview-kind-value = 値
preview-kind-status = 進捗区分
preview-kind-header = 見出し
preview-kind-department = 担当課
preview-kind-text = 文字
preview-kind-project = 事業名
preview-kind-plugin = プラグイン
preview-kind-date = 報告日
preview-kind-resubmission = 差し替え
preview-kind-file = ファイル

## コマンドライン: 最初の取りまとめ

cli-inspect = ブックに torimatome が見るもの (シート、表、見出しの役割、結合セル、データの終わり、記号、値の書き方) を表示
cli-inspect-files = 見るブック (フォルダならその中のすべて)
cli-inspect-json = ツール向けに JSON で出す
cli-guess = 受付フォルダからパイプラインを書いて検証する
cli-guess-inbox = 受付フォルダ
cli-guess-roster = 名簿ファイル (1 行に 1 課)
cli-guess-out = パイプラインをここに書く (なければ標準出力へ)
cli-guess-plugins = パイプラインに書くプラグインのフォルダ (なければ torimatome のあるフォルダ)
cli-preview = ブックを書かずに、各ファイルの結果 (様式、行数、問題、集計するファイル) を表示

## 前期比 (run --previous)

cli-run-previous = 前期のマニフェスト (またはブック): 今期と比べる「前期比」シートを加える
previous-refused = 前期のマニフェスト { $path } は使えない: { $why }
previous-unreadable = 読めない ({ $why })
previous-not-manifest = torimatome のマニフェストではない ({ $why })
previous-book-missing = マニフェストが示すブック { $book } がない
previous-book-changed = ブック { $book } がマニフェストの SHA-256 と違う (書き換えられた)
previous-no-snapshot = 前期比に要るスナップショットを記録していない (この版の torimatome で前期を取りまとめ直す)
previous-summary-book = 要約の帳票 (book.summary) の取りまとめで、前期比に要る行を残していない (前期を book.summary なしで取りまとめ直すか、previous を外す)
previous-snapshot-missing = マニフェストが示すスナップショット { $snapshot } がない
previous-snapshot-changed = スナップショット { $snapshot } がマニフェストの SHA-256 と違う (書き換えられた)
previous-not-snapshot = { $snapshot } は torimatome のスナップショットではない ({ $why })

## 次期の様式 (template) と差し戻し (run --feedback)

cli-template = 名簿の各課に次の期の報告様式 (パイプラインが読む KPI 表) を書く
cli-template-out = 様式を書くフォルダ
cli-template-previous = 前期のマニフェスト (そのブックの事業・指標・基準値・計画値を様式に写す)
cli-template-period = 様式の期 (令和5年度上期 など。なければパイプラインの期の次)
cli-run-feedback = 問題のあった課ごとに、問題のセルに印を付けた写しとメール用の文面をこのフォルダに書く
template-written = { $period } の様式 { $count } 件を { $path } に書いた
template-no-table = パイプラインに様式にできる KPI 表がない (kind: table で values と 2 行の見出しを持つ様式)
template-no-period = パイプラインが期を決めていない (--period で期を指定する)
template-bad-period = 期として読めない: { $period } (令和5年度上期 のように書く)
template-previous-unreadable = 前期のブックを読めない: { $path }: { $why }
feedback-in-inbox = 差し戻しのフォルダ { $path } が受付フォルダの中にある (受付フォルダの外を指定する)
feedback-written = 差し戻し: { $count } 課分を { $path } に書いた
form-title = { $period } { $plan } 進捗状況報告 ({ $department })
form-baseline-header = { $year }実績値
form-plan-header = { $year }計画値
form-actual-first-half = 9月末時点
form-actual-second-half = 3月末時点
form-legend = ※{ $status }: { $marks }
form-status-check = 一覧から選んでください: { $marks }
form-value-check-title = 数値
form-value-check = 数値を書いてください。約・万・% などの書き方は「記入要領」のとおりに書けば、このまま入力できます。
form-guide-sheet = 記入要領
form-guide-inputs-heading = 入力する欄
form-guide-inputs = 黄色の欄に書いてください。灰色の欄 (前回の報告から写した事業・指標・基準値・計画値) と見出し、シート名は変えないでください。事業や指標が増えたときは、下の空いた行に書いてください。
form-guide-numbers-heading = 数値の書き方
form-guide-numbers = 半角でも全角でも読みます (１２３ は 123)。桁区切りのカンマ (5,081)、概数の「約」(約1,200)、「万」(1.2万 は 12,000)、百分率 (87.2%)、マイナスの ▲・△ (▲16.7) も読みます。単位を添えるときは指標の単位と同じものにしてください (14,000 時間)。「以上」「未満」などを付けた値は読めません。
form-guide-empty-heading = 値がないとき
form-guide-empty = 空欄か「－」にしてください。今年度は測らない指標は「(本年度未測定)」と書いてください。
form-guide-years-heading = 年度と日付
form-guide-years = 年度は 令和5年度・R5・H30・令和元年度・2023年度 のどれでも読みます。報告日は 令和5年10月5日・R5.10.5・2023/10/5 のように書いてください。
form-guide-status-line = { $marks } ({ $status }): { $meaning }
form-meaning-achieved = 指標を達成した、または達成する見込み
form-meaning-in-progress = 予定どおり進めている
form-meaning-behind = 遅れている、対策が要る
form-meaning-none = 今年度は取組みがない、または終わった
form-guide-submit-heading = 提出
form-guide-submit = 書き終えたら、ファイル名を変えずに受付フォルダに置いてください。直したファイルを出し直すときは、ファイル名の末尾に「修正版」と付けてください。
feedback-greeting = { $department } ご担当者様
feedback-intro = { $period } の進捗状況報告 ({ $title }) で提出いただいたファイルに、直していただきたい点が { $count } 件ありました。
feedback-deadline = お手数ですが、次の点を直して【　月　日 (　)】までに提出し直してください。
feedback-file = ■ ファイル: { $file }
feedback-copy = 問題のセルに黄色の印とメモを付けた写し: { $copy }
feedback-whole-file = ファイル全体
feedback-raw = 「{ $raw }」
feedback-what = 内容: { $what }
feedback-todo = 対応: { $todo }
feedback-closing = ご不明な点は取りまとめの担当までお問い合わせください。
