help = **Говори — я намалюю.**
    • `/намалюй опис:<текст>` — або прикріпи `аудіо:` (голосове чи аудіофайл), і я намалюю те, що ти скажеш, будь-якою мовою (спершу перекладу англійською).
    • Правий клік по голосовому → *Застосунки* → **Намалювати з голосового** або **Розшифрувати голосове** (мова, розшифровка й переклад англійською; потім 🎨 *Намалювати* або спершу ✏️ виправ).
    • `мова:` каже, якою мовою ти говориш (типово: визначається сама); у голосовій заявці меню **Не та мова?** слухає ще раз обраною мовою.
    • Опції: `сід` (той самий сід + ті самі опції = та сама картинка), `точність` (1–20: наскільки буквально триматися опису), `кроки` (більше = повільніше й детальніше), `кількість` (картинок), `негатив` (чого не має бути), `формат` або `пропорції` (16:9, 2:3…), `модель`, `семплер`, `стиль` (вигляд, який пропонує модель), `швидко` (кілька швидких кроків).
    • `картинка:` малює від твоєї картинки (PNG, JPEG або WebP); `сила` 0,05–1 — наскільки від неї відійти.
    • Кнопки під результатом: 🎲 ще раз, ✏️ змінити опис, **V1…** варіація, **U1…** ця картинка вдвічі більша (той самий сід). В одиночної картинки: 🔍 віддалити в 1,5× або 2×, ⬅➡⬆⬇ розширити в цей бік (пікселі твоєї картинки лишаються).
    • 🎙️ Відповідай на мою картинку голосовим («а тепер уночі»), і я зроблю ремікс: та сама модель, розмір і сід, твої слова — новий опис.
    • У кожному результаті видно мову, розшифровку, переклад, опис, сід, точність, кроки, розмір і модель — щоб можна було повторити.
    • `/черга` показує твоє місце; `/статус` — на чому я працюю.

queue-head = Черга: чекають { $waiting }, { $drawing ->
    [0] зараз нічого не малюється
   *[other] малюється { $drawing }
}.
queue-drawing-now = малюється зараз
queue-state = { $state ->
    [queued] у черзі
    [listening] слухаю
    [waiting] чекає
   *[other] { $state }
}
queue-listening = (слухаю…)
queue-none-yours = У тебе немає заявок у черзі.

status-none-loaded = поки нічого не завантажено
status-models = Whisper: { $speech } · модель картинок: `{ $image }` — { $status }
status-device = Пристрій: { $device }
status-jobs = Виконано заявок: { $done }; чекають: { $waiting }
status-average-listening = Слухаю в середньому: { NUMBER($seconds, minimumFractionDigits: 1) } с
status-average-drawing = Малюю в середньому: { NUMBER($seconds, minimumFractionDigits: 1) } с

settings-title = Налаштування цього сервера
settings-saved = Збережено.
settings-not-admin = Щоб змінювати мої налаштування, потрібен дозвіл «Керувати сервером».
settings-no-content-intent = Авторежиму й каналам розшифрування потрібен інтент Message Content, якого цей бот не запитує. Власник бота має ввімкнути *Message Content Intent* у Discord Developer Portal (Bot → Privileged Gateway Intents), задати `discord.message_content_intent = true` (або `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) і перезапустити його. А поки використовуй меню *Намалювати з голосового* на голосовому.
settings-whisper-model = Модель Whisper
settings-image-model = Модель картинок
settings-voice = Голосові
settings-voice-auto = автоматично в { $where }
settings-voice-off = вимкнено (використовуй контекстне меню)
settings-everywhere = будь-якому каналі
settings-transcribed = Лише розшифровка, без картинок
settings-nowhere = ніде
settings-defaults = Типово
settings-defaults-value = точність { $guidance }, { $steps ->
    [one] { $steps } крок
    [few] { $steps } кроки
    [many] { $steps } кроків
   *[other] { $steps } кроку
}, { $count ->
    [one] { $count } картинка
    [few] { $count } картинки
    [many] { $count } картинок
   *[other] { $count } картинки
}
settings-per-user = Заявок на людину
settings-buttons = Кнопки
settings-buttons-requester = лише автор заявки
settings-anyone = усі
settings-nsfw = NSFW
settings-nsfw-value = позначені картинки поза NSFW-каналами { $action ->
    [spoiler] надсилаються під спойлером
   *[withhold] приховуються
}; фільтр у NSFW-каналах { $checker ->
    [off] вимкнено
   *[on] увімкнено
}
settings-banned = Заборонені слова
settings-none = немає
settings-language = Мова повідомлень заявок
settings-text-remixes = Ремікс текстовою відповіддю
settings-on = увімк.
settings-off = вимк.
language-auto = авто (визначити)
