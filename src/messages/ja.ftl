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
cli-run-records = 集計したすべての値をこの CSV ファイルにも書く
cli-run-strict = ブックに問題が一つでもあれば 0 以外で終了
cli-run-no-cache = すべてのファイルを読み直す: 再実行用のキャッシュ (ブックの横の隠しフォルダ .torimatome-cache) を使わず、残さない
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
error = エラー: { $message }
cannot-verify = 検証できない: { $message }

## 実行を止める問題

inbox-unreadable = 受付フォルダ { $path } を読めない: { $why }
output-unwritable = { $path } に書けない: { $why }
output-not-xlsx = { $path } に書けない: ブックは Excel ブックなので名前を .xlsx で終える
output-not-csv = { $path } に書けない: 記録は CSV なので名前を .csv で終える
output-in-inbox = { $path } に書けない: 出力は受付フォルダに置かない (次の実行が提出ファイルとして読んでしまう)
output-is-folder = 同じ名前のフォルダがある
book-failed = ブックを作れなかった: { $why }
no-period = どのファイルも対象期間 (R4上期、2022H1、令和4年度 上期) を書いていない: パイプラインに period.fiscal_year と period.half を書く

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
verify-input-changed = 変更: { $name } (sha256 { $before } → { $after }、{ $size-before } → { $size-after } バイト)
verify-input-missing = なくなった: { $name } (sha256 { $before })
verify-input-added = 追加: { $name } (sha256 { $after })
verify-inputs-same = 入力: 変更なし ({ $inbox } の { $files } ファイル)
verify-inputs-changed = 入力: { $inbox } で { $count } 件の違い
verify-book-same = ブック: 同一 (sha256 { $sha })
verify-book-differs = ブック: { $cells } セルが異なる (sha256 { $before } → { $after })
verify-more-cells = ほか { $count } セル
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
