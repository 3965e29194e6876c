job-saved = 💾 Збережено — я перезапускаюся; твоя заявка почнеться, щойно я повернуся
job-queued = ⏳ У черзі
job-queued-position = ⏳ У черзі — місце { $position } з { $length }
job-eta = приблизно { $duration }
job-warming-up = 🔥 Розігріваюся: { $what }…
job-listening = 👂 Слухаю…
job-drawing = 🎨 Малюю…
job-drawing-step = 🎨 Малюю — крок { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = залишилося { $duration }
job-done = ✅ Готово
job-transcribed = 📝 Розшифровано
job-cancelled = 🚫 Скасовано
job-failed = ❌ { $error }
job-failed-plain = ❌ Не вдалося
job-footer = заявка { $job } · { $user }
job-lost = ❌ Я перезапустився раніше, ніж зберіг твою заявку, вибач. Надішли її ще раз.
job-here = ось твоя заявка:
duration-seconds = { $seconds } с
duration-minutes = { $minutes } хв { $seconds } с

field-heard = Почуто ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Почуто ({ $language }, { NUMBER($probability, style: "percent") }, не впевнений: не та мова? обери нижче)
field-translation = Переклад
field-no-translation = Без перекладу
field-prompt-cut = Опис обрізано
field-prompt-cut-value = Ти сказав більше, ніж вміщує опис: я намалював за першою частиною.
field-negative = Негатив
field-seed = Сід
field-guidance = Точність
field-steps = Кроки
field-size = Розмір
field-images = Картинки
field-model = Модель
model-fast = { $model } · швидко
field-sampler = Семплер
field-style = Стиль
field-safety = Фільтр безпеки
safety-withheld = { $count ->
    [one] { $count } картинку позначено як NSFW: приховано.
    [few] { $count } картинки позначено як NSFW: приховано.
    [many] { $count } картинок позначено як NSFW: приховано.
   *[other] { $count } картинки позначено як NSFW: приховано.
}
safety-spoilered = { $count ->
    [one] { $count } картинку позначено як NSFW: надіслано під спойлером.
    [few] { $count } картинки позначено як NSFW: надіслано під спойлером.
    [many] { $count } картинок позначено як NSFW: надіслано під спойлером.
   *[other] { $count } картинки позначено як NSFW: надіслано під спойлером.
}
safety-shown = { $count ->
    [one] { $count } картинку позначено як NSFW: показано.
    [few] { $count } картинки позначено як NSFW: показано.
    [many] { $count } картинок позначено як NSFW: показано.
   *[other] { $count } картинки позначено як NSFW: показано.
}
field-remix-of = Ремікс заявки { $job }
drawn-from-vary = Варіація
drawn-from-upscale = Збільшення
drawn-from-zoom = Віддалення
drawn-from-pan = Розширення
drawn-from-image = Намальовано з твоєї картинки
strength = сила { $strength }
source-strength = { $source } (сила { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = невідома
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Не та мова? Обери, якою говорили
translation-unavailable = { $model } не вміє перекладати, а модель перекладу { $translator } недоступна
translation-invented = у перекладі були слова, яких немає в записі, тому малюється розшифровка
plain-text = { $text }

button-reroll = Ще раз
button-edit = Змінити опис
button-delete = Видалити
button-cancel = Скасувати
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Віддалити { $factor }×
button-draw = Намалювати

form-edit-title = Змінити опис
form-prompt = Опис
form-negative = Негативний опис
form-heard = Що я почув (для довідки)
field-parameters = Параметри
button-vary-subtle = Варіація (слабка)
button-vary-strong = Варіація (сильна)
button-upscale-subtle = Збільшити (дбайливо)
button-upscale-creative = Збільшити (творчо)
button-zoom-custom = Свій зум
button-square = Зробити квадрат
form-remix-title = Ремікс
form-zoom-title = Свій зум
form-zoom-factor = Віддалити в (від 1 до 2)
drawn-from-vary-subtle = Слабка варіація
drawn-from-vary-strong = Сильна варіація
drawn-from-upscale-subtle = Дбайливе збільшення
drawn-from-upscale-creative = Творче збільшення
drawn-from-square = Квадрат із
