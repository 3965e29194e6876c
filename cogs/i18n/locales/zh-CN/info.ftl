help = **你说，我画。**
    • `/画图 提示词:<文字>` — 或附上 `语音:`（语音消息或音频文件），不管用什么语言说，我都会画出来（先翻译成英文）。
    • 右键点击语音消息 → *应用* → **用语音消息画图** 或 **转写语音消息**（语言、转写和英文翻译；然后 🎨 *就画这个*，或先 ✏️ 编辑）。
    • `语言:` 指定你说的语言（默认：自动识别）；在语音请求上，**语言不对？** 菜单会用你选的语言重新听一遍。
    • 选项：`种子`（同样的种子 + 同样的选项 = 同样的图）、`引导强度`（1–20：多严格地遵循提示词）、`步数`（越多越慢、越精细）、`数量`（图片张数）、`反向提示词`（不想要的内容）、`尺寸` 或 `宽高比`（16:9、2:3…）、`模型`、`采样器`、`风格`（模型提供的画风）、`快速`（几步快速出图）。
    • `图片:` 根据你自己的图片来画（PNG、JPEG 或 WebP）；`强度` 0.05–1 决定离原图多远。
    • 结果上的按钮：🎲 重画、✏️ 编辑提示词、**V1…** 变体、**U1…** 把那张图放大到两倍（同一个种子）。只有一张图时：🔍 缩小 1.5 倍或 2 倍，⬅➡⬆⬇ 向那个方向扩展（原图的像素保持不变）。
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
