help = **話しかけてくれたら、描きます。**
    • `/画像生成 プロンプト:<テキスト>` — または `音声:`（ボイスメッセージか音声ファイル）を添付すれば、話した内容を何語でも描きます（先に英語に翻訳します）。
    • ボイスメッセージを右クリック → *アプリ* → **ボイスメッセージから画像生成** または **ボイスメッセージを文字起こし**（言語・文字起こし・英訳。そのあと 🎨 *これを描く* か、先に ✏️ 編集）。
    • `言語:` で話す言語を指定できます（既定：自動判定）。ボイスのリクエストでは **言語が違う？** メニューで選んだ言語でもう一度聞き取ります。
    • オプション：`シード`（同じシード＋同じ設定＝同じ絵）、`ガイダンス`（1〜20：プロンプトにどれだけ忠実か）、`ステップ`（多いほど遅く、きめ細かい）、`枚数`、`ネガティブ`（入れたくないもの）、`サイズ` か `縦横比`（16:9、2:3…）、`モデル`、`サンプラー`、`スタイル`（モデルが持つ画風）、`高速`（少ないステップでさっと）。
    • `画像:` で自分の画像（PNG、JPEG、WebP）から描きます。`強さ` 0.05〜1 で元からどれだけ離れるかを決めます。
    • 描いている間、メッセージで絵ができていく様子が見られます。ボタン、パラメーター、リミックスモードは下にあります。
    • 🎙️ 私の絵にボイスメッセージで返信すると（「今度は夜にして」）リミックスします：同じモデル・サイズ・シードで、話した言葉が新しいプロンプトになります。
    • どの結果にも、判定した言語・文字起こし・翻訳・プロンプト・シード・ガイダンス・ステップ・サイズ・モデルが載るので、同じ絵を再現できます。
    • `/キュー` で自分の順番、`/ステータス` で動作環境を確認できます。

queue-head = キュー：待ち { $waiting } 件、{ $drawing ->
    [0] 描画中なし
   *[other] 描画中 { $drawing } 件
}。
queue-drawing-now = 描画中
queue-state = { $state ->
    [queued] 順番待ち
    [listening] 聞き取り中
    [waiting] 待機中
   *[other] { $state }
}
queue-listening = （聞き取り中…）
queue-none-yours = キューにあなたのリクエストはありません。

status-none-loaded = まだ読み込まれていません
status-models = Whisper：{ $speech } · 画像モデル：`{ $image }` — { $status }
status-device = デバイス：{ $device }
status-jobs = 完了：{ $done } 件、待ち：{ $waiting } 件
status-average-listening = 平均聞き取り時間：{ NUMBER($seconds, minimumFractionDigits: 1) } 秒
status-average-drawing = 平均描画時間：{ NUMBER($seconds, minimumFractionDigits: 1) } 秒

settings-title = このサーバーの設定
settings-saved = 保存しました。
settings-not-admin = 設定を変えるには「サーバー管理」の権限が必要です。
settings-no-content-intent = 自動モードと文字起こしチャンネルには Message Content インテントが必要ですが、このボットは要求していません。ボットの管理者が Discord Developer Portal で *Message Content Intent* をオンにし（Bot → Privileged Gateway Intents）、`discord.message_content_intent = true`（または `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`）を設定して再起動する必要があります。それまでは、ボイスメッセージで *ボイスメッセージから画像生成* メニューを使ってください。
settings-whisper-model = Whisperモデル
settings-image-model = 画像モデル
settings-voice = ボイスメッセージ
settings-voice-auto = 自動（{ $where }）
settings-voice-off = オフ（コンテキストメニューを使ってください）
settings-everywhere = すべてのチャンネル
settings-transcribed = 文字起こしのみ（描かない）
settings-nowhere = なし
settings-defaults = 既定値
settings-defaults-value = ガイダンス { $guidance }、{ $steps } ステップ、{ $count } 枚
settings-per-user = 1人あたりのリクエスト数
settings-buttons = ボタン
settings-buttons-requester = 依頼者のみ
settings-anyone = 誰でも
settings-nsfw = NSFW
settings-nsfw-value = NSFWチャンネル以外で判定された画像は{ $action ->
    [spoiler] スポイラーで送信
   *[withhold] 表示しない
}、NSFWチャンネルではフィルター{ $checker ->
    [off] オフ
   *[on] オン
}
settings-banned = 禁止ワード
settings-none = なし
settings-language = リクエストのメッセージの言語
settings-text-remixes = 文字の返信でリミックス
settings-on = オン
settings-off = オフ
language-auto = 自動（判定する）
help-buttons-title = 結果のボタン
help-buttons = 🎲 再生成、✏️ プロンプトを編集、🗑️ 削除。複数枚なら **V1…** でその絵のバリエーション、**U1…** で2倍の大きさに（同じシード）。
    1枚だけの結果なら：🪄 **バリエーション**（控えめ・強め）、⬆️ **拡大**（控えめ：同じ絵のままくっきり、クリエイティブ：新しい細部）、🔍 2倍か1.5倍にズームアウト、**カスタムズーム**（1〜2の倍率と新しいプロンプト）、↔️ **正方形にする**（正方形でないとき）、⬅➡⬆⬇ でその方向に拡張：元のピクセルはそのままです。
help-parameters-title = プロンプトのパラメーター
help-parameters = 入力したプロンプトの最後に付けます：`--ar 16:9` 縦横比、`--no text, people` 入れたくないもの、`--seed 42`、`--steps 30`、`--chaos 0-100` 並んだ絵同士の違いの大きさ、`--stylize 0-1000` 描き方の自由さ（100 が標準。小さいほどプロンプトに忠実）。`シード:` などのオプションが優先されます。声で話した内容はパラメーターとして読みません。
help-remix-title = リミックスモード
help-remix = `/リミックス` で自分用にオン・オフできます。バリエーションや 🎲 再生成の前にプロンプトが開くので、書き換えられます（パラメーターも）。サーバーは `/設定` で既定にできます。
remix-mode-on = 🎛️ リミックスモードは**オン**です。バリエーションや再生成の前にプロンプトが開くので、書き換えられます。もう一度 `/リミックス` でオフになります。
remix-mode-off = リミックスモードは**オフ**です。バリエーションと再生成はすぐに描きます。
settings-remix-mode = リミックスモード（既定）
settings-previews = ライブプレビュー
