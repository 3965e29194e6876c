job-saved = 💾 Сохранено — я перезапускаюсь; твоя заявка начнётся, как только я вернусь
job-queued = ⏳ В очереди
job-queued-position = ⏳ В очереди — место { $position } из { $length }
job-eta = примерно { $duration }
job-warming-up = 🔥 Разогреваюсь: { $what }…
job-listening = 👂 Слушаю…
job-drawing = 🎨 Рисую…
job-drawing-step = 🎨 Рисую — шаг { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = осталось { $duration }
job-done = ✅ Готово
job-transcribed = 📝 Расшифровано
job-cancelled = 🚫 Отменено
job-failed = ❌ { $error }
job-failed-plain = ❌ Не получилось
job-footer = заявка { $job } · { $user }
job-lost = ❌ Я перезапустился раньше, чем сохранил твою заявку, извини. Отправь её ещё раз.
job-here = вот твоя заявка:
duration-seconds = { $seconds } с
duration-minutes = { $minutes } мин { $seconds } с

field-heard = Услышано ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Услышано ({ $language }, { NUMBER($probability, style: "percent") }, не уверен: не тот язык? выбери ниже)
field-translation = Перевод
field-no-translation = Без перевода
field-prompt-cut = Описание обрезано
field-prompt-cut-value = Ты сказал больше, чем помещается в описание: я нарисовал по первой части.
field-negative = Негатив
field-seed = Сид
field-guidance = Точность
field-steps = Шаги
field-size = Размер
field-images = Картинки
field-model = Модель
model-fast = { $model } · быстро
field-sampler = Сэмплер
field-style = Стиль
field-safety = Фильтр безопасности
safety-withheld = { $count ->
    [one] { $count } картинка отмечена как NSFW: скрыта.
    [few] { $count } картинки отмечены как NSFW: скрыты.
    [many] { $count } картинок отмечены как NSFW: скрыты.
   *[other] { $count } картинки отмечены как NSFW: скрыты.
}
safety-spoilered = { $count ->
    [one] { $count } картинка отмечена как NSFW: отправлена под спойлером.
    [few] { $count } картинки отмечены как NSFW: отправлены под спойлером.
    [many] { $count } картинок отмечены как NSFW: отправлены под спойлером.
   *[other] { $count } картинки отмечены как NSFW: отправлены под спойлером.
}
safety-shown = { $count ->
    [one] { $count } картинка отмечена как NSFW: показана.
    [few] { $count } картинки отмечены как NSFW: показаны.
    [many] { $count } картинок отмечены как NSFW: показаны.
   *[other] { $count } картинки отмечены как NSFW: показаны.
}
field-remix-of = Ремикс заявки { $job }
drawn-from-vary = Вариация
drawn-from-upscale = Увеличение
drawn-from-zoom = Отдаление
drawn-from-pan = Расширение
drawn-from-image = Нарисовано по твоей картинке
strength = сила { $strength }
source-strength = { $source } (сила { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = неизвестен
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Не тот язык? Выбери, на каком говорили
translation-unavailable = { $model } не умеет переводить, а модель перевода { $translator } недоступна
translation-invented = в переводе были слова, которых нет в записи, поэтому рисуется расшифровка
plain-text = { $text }

button-reroll = Ещё раз
button-edit = Изменить описание
button-delete = Удалить
button-cancel = Отменить
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Отдалить { $factor }×
button-draw = Нарисовать

form-edit-title = Изменить описание
form-prompt = Описание
form-negative = Негативное описание
form-heard = Что я услышал (для справки)
field-parameters = Параметры
button-vary-subtle = Вариация (слабая)
button-vary-strong = Вариация (сильная)
button-upscale-subtle = Увеличить (бережно)
button-upscale-creative = Увеличить (творчески)
button-zoom-custom = Свой зум
button-square = Сделать квадрат
form-remix-title = Ремикс
form-zoom-title = Свой зум
form-zoom-factor = Отдалить в (от 1 до 2)
drawn-from-vary-subtle = Слабая вариация
drawn-from-vary-strong = Сильная вариация
drawn-from-upscale-subtle = Бережное увеличение
drawn-from-upscale-creative = Творческое увеличение
drawn-from-square = Квадрат из
