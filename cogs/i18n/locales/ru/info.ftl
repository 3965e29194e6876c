help = **Говори — я нарисую.**
    • `/нарисуй описание:<текст>` — или прикрепи `аудио:` (голосовое или аудиофайл), и я нарисую то, что ты скажешь, на любом языке (сначала переведу на английский).
    • Правый клик по голосовому → *Приложения* → **Нарисовать по голосовому** или **Расшифровать голосовое** (язык, расшифровка и перевод на английский; потом 🎨 *Нарисовать* или сначала ✏️ поправь).
    • `язык:` говорит, на каком языке ты говоришь (по умолчанию: определяется сам); у голосовой заявки меню **Не тот язык?** слушает ещё раз на выбранном языке.
    • Опции: `сид` (тот же сид + те же опции = та же картинка), `точность` (1–20: насколько буквально следовать описанию), `шаги` (больше = медленнее и детальнее), `количество` (картинок), `негатив` (чего не должно быть), `формат` или `пропорции` (16:9, 2:3…), `модель`, `сэмплер`, `стиль` (вид, который предлагает модель), `быстро` (несколько быстрых шагов).
    • `картинка:` рисует от твоей картинки (PNG, JPEG или WebP); `сила` 0,05–1 — насколько от неё отойти.
    • Кнопки под результатом: 🎲 ещё раз, ✏️ изменить описание, **V1…** вариация, **U1…** эта картинка в двойном размере (тот же сид). У одиночной картинки: 🔍 отдалить в 1,5× или 2×, ⬅➡⬆⬇ расширить в эту сторону (пиксели твоей картинки остаются).
    • 🎙️ Ответь на мою картинку голосовым («а теперь ночью»), и я сделаю ремикс: та же модель, размер и сид, твои слова — новое описание.
    • В каждом результате видно язык, расшифровку, перевод, описание, сид, точность, шаги, размер и модель — чтобы можно было повторить.
    • `/очередь` показывает твоё место; `/статус` — на чём я работаю.

queue-head = Очередь: ждут { $waiting }, { $drawing ->
    [0] сейчас ничего не рисуется
   *[other] рисуется { $drawing }
}.
queue-drawing-now = рисуется сейчас
queue-state = { $state ->
    [queued] в очереди
    [listening] слушаю
    [waiting] ждёт
   *[other] { $state }
}
queue-listening = (слушаю…)
queue-none-yours = У тебя нет заявок в очереди.

status-none-loaded = пока ничего не загружено
status-models = Whisper: { $speech } · модель картинок: `{ $image }` — { $status }
status-device = Устройство: { $device }
status-jobs = Выполнено заявок: { $done }; ждут: { $waiting }
status-average-listening = Слушаю в среднем: { NUMBER($seconds, minimumFractionDigits: 1) } с
status-average-drawing = Рисую в среднем: { NUMBER($seconds, minimumFractionDigits: 1) } с

settings-title = Настройки этого сервера
settings-saved = Сохранено.
settings-not-admin = Чтобы менять мои настройки, нужно право «Управлять сервером».
settings-no-content-intent = Авторежиму и каналам расшифровки нужен интент Message Content, который этот бот не запрашивает. Владелец бота должен включить *Message Content Intent* в Discord Developer Portal (Bot → Privileged Gateway Intents), задать `discord.message_content_intent = true` (или `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) и перезапустить его. А пока используй меню *Нарисовать по голосовому* на голосовом.
settings-whisper-model = Модель Whisper
settings-image-model = Модель картинок
settings-voice = Голосовые
settings-voice-auto = автоматически в { $where }
settings-voice-off = выключено (используй контекстное меню)
settings-everywhere = любом канале
settings-transcribed = Только расшифровка, без картинок
settings-nowhere = нигде
settings-defaults = По умолчанию
settings-defaults-value = точность { $guidance }, { $steps ->
    [one] { $steps } шаг
    [few] { $steps } шага
    [many] { $steps } шагов
   *[other] { $steps } шага
}, { $count ->
    [one] { $count } картинка
    [few] { $count } картинки
    [many] { $count } картинок
   *[other] { $count } картинки
}
settings-per-user = Заявок на человека
settings-buttons = Кнопки
settings-buttons-requester = только автор заявки
settings-anyone = все
settings-nsfw = NSFW
settings-nsfw-value = отмеченные картинки вне NSFW-каналов { $action ->
    [spoiler] отправляются под спойлером
   *[withhold] скрываются
}; фильтр в NSFW-каналах { $checker ->
    [off] выключен
   *[on] включён
}
settings-banned = Запрещённые слова
settings-none = нет
settings-language = Язык сообщений заявок
settings-text-remixes = Ремикс текстовым ответом
settings-on = вкл.
settings-off = выкл.
language-auto = авто (определить)
