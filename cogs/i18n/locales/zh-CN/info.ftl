help = **你说，我画。**
    • `/画图 提示词:<文字>` — 或附上 `语音:`（语音消息或音频文件），不管用什么语言说，我都会画出来（先翻译成英文）。
    • 右键点击语音消息 → *应用* → **用语音消息画图** 或 **转写语音消息**（语言、转写和英文翻译；然后 🎨 *就画这个*，或先 ✏️ 编辑）。
    • `语言:` 指定你说的语言（默认：自动识别）；在语音请求上，**语言不对？** 菜单会用你选的语言重新听一遍。
    • 选项：`种子`（同样的种子 + 同样的选项 = 同样的图）、`引导强度`（1–20：多严格地遵循提示词）、`步数`（越多越慢、越精细）、`数量`（图片张数）、`反向提示词`（不想要的内容）、`尺寸` 或 `宽高比`（16:9、2:3…）、`模型`、`采样器`、`风格`（模型提供的画风）、`快速`（几步快速出图）。
    • `图片:` 根据你自己的图片来画（PNG、JPEG 或 WebP）；`强度` 0.05–1 决定离原图多远。
    • 我画图时，消息里会显示图片逐渐成形；按钮、参数和重混模式见下方。
    • 🎙️ 用语音消息回复我的某张图（“现在改成夜晚”），我就会重混它：同样的模型、尺寸和种子，你说的话就是新的提示词。
    • 每个结果都会显示识别出的语言、转写、翻译、提示词、种子、引导强度、步数、尺寸和模型，方便你复现。
    • `/队列` 查看你的位置；`/状态` 查看我的运行环境。

queue-head = 队列：{ $waiting } 个在等，{ $drawing ->
    [0] 没有正在画的
   *[other] { $drawing } 个正在画
}。
queue-drawing-now = 正在画
queue-state = { $state ->
    [queued] 排队中
    [listening] 正在听
    [waiting] 等待中
   *[other] { $state }
}
queue-listening = （正在听…）
queue-none-yours = 你在队列中没有请求。

status-none-loaded = 还没有加载
status-models = Whisper：{ $speech } · 图片模型：`{ $image }` — { $status }
status-device = 设备：{ $device }
status-jobs = 已完成：{ $done } 个；等待中：{ $waiting } 个
status-average-listening = 平均听写用时：{ NUMBER($seconds, minimumFractionDigits: 1) } 秒
status-average-drawing = 平均作画用时：{ NUMBER($seconds, minimumFractionDigits: 1) } 秒

settings-title = 本服务器的设置
settings-saved = 已保存。
settings-not-admin = 需要“管理服务器”权限才能修改我的设置。
settings-no-content-intent = 自动模式和转写频道需要 Message Content intent，而这个机器人没有申请。机器人的运营者需要在 Discord Developer Portal 打开 *Message Content Intent*（Bot → Privileged Gateway Intents），设置 `discord.message_content_intent = true`（或 `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`）并重启。在此之前，请在语音消息上使用 *用语音消息画图* 菜单。
settings-whisper-model = Whisper 模型
settings-image-model = 图片模型
settings-voice = 语音消息
settings-voice-auto = 自动（{ $where }）
settings-voice-off = 关闭（请用右键菜单）
settings-everywhere = 所有频道
settings-transcribed = 只转写，不画图
settings-nowhere = 无
settings-defaults = 默认值
settings-defaults-value = 引导强度 { $guidance }，{ $steps } 步，{ $count } 张
settings-per-user = 每人请求数
settings-buttons = 按钮
settings-buttons-requester = 仅限发起人
settings-anyone = 所有人
settings-nsfw = NSFW
settings-nsfw-value = NSFW 频道以外被标记的图片{ $action ->
    [spoiler] 以剧透发送
   *[withhold] 不显示
}；NSFW 频道中过滤{ $checker ->
    [off] 关闭
   *[on] 开启
}
settings-banned = 违禁词
settings-none = 无
settings-language = 请求消息的语言
settings-text-remixes = 文字回复重混
settings-on = 开启
settings-off = 关闭
language-auto = 自动（识别）
help-buttons-title = 结果上的按钮
help-buttons = 🎲 重画、✏️ 编辑提示词、🗑️ 删除。多张图时，**V1…** 生成那张图的变体，**U1…** 把它画成两倍大小（同一个种子）。
    只有一张图时：🪄 **变体**（轻微或强烈）、⬆️ **放大**（轻微：同一张图更清晰；创意：新的细节）、🔍 缩小 2 倍或 1.5 倍、**自定义缩小**（1 到 2 的倍数和新提示词）、↔️ **变成方形**（不是方形时），以及 ⬅➡⬆⬇ 向那个方向扩展：原来的像素保持不变。
help-parameters-title = 提示词参数
help-parameters = 在输入的提示词末尾加上：`--ar 16:9` 宽高比，`--no text, people` 不想要的内容，`--seed 42`，`--steps 30`，`--chaos 0-100` 一组图片之间差别多大，`--stylize 0-1000` 我画得多自由（100 为正常；越低越贴近提示词）。`种子:` 这类选项优先于参数。你说出来的话不会被当作参数。
help-remix-title = 重混模式
help-remix = 用 `/重混` 为自己开启或关闭：做变体或 🎲 重画前会先打开提示词，让你修改（参数也可以）。服务器可以在 `/设置` 里把它设为默认。
remix-mode-on = 🎛️ 重混模式已**开启**：做变体或重画前会先打开提示词，让你修改。再用一次 `/重混` 就会关闭。
remix-mode-off = 重混模式已**关闭**：变体和重画会直接开始。
settings-remix-mode = 重混模式（默认）
settings-previews = 实时预览
