error-generic = У меня что-то сломалось (уже в логах). Попробуй ещё раз.
error-not-here = Здесь это использовать нельзя.
not-resumable = Твою заявку не удалось продолжить после перезапуска: { $reason }

prompt-empty = Описание пустое: скажи или напиши, что хочешь увидеть.
prompt-too-long = В описании { $length } символов; максимум — { $limit }.
negative-too-long = Негативное описание слишком длинное (максимум { $limit } символов).
prompt-banned = В этом описании есть слово, которое здесь запрещено.
bad-model-needs-settings = Для выбора модели нужны настройки картинок.
bad-aspect-or-size = Укажи либо `aspect`, либо `width`/`height`, но не всё сразу.
bad-size-or-aspect = Укажи либо `формат`, либо `пропорции`, но не оба.
bad-multiple = `{ $option }` должно быть кратно { $multiple } (получено: { $value }).
bad-one-of = `{ $option }` должно быть одним из: { $known } (получено: { $value }).
bad-not-a-number = `{ $option }` должно быть числом (получено: { $value }).
bad-out-of-range = `{ $option }` должно быть от { $low } до { $high } (получено: { $value }).
style-none-configured = `стиль`: у этой модели нет стилей.
style-unknown = `стиль` должен быть одним из стилей модели ({ $known }).
style-not-configured = Стиль { $style } не настроен для { $model }.
fast-not-configured = Для модели { $model } быстрый режим не настроен.
aspect-no-side = Ни одна сторона в пределах лимитов не кратна { $multiple }.
settings-out-of-range = Вне допустимого диапазона: { $names }.
variation-unknown-kind = Неизвестный вид вариации: { $kind_name }.
zoom-factor = Отдалить можно больше чем в 1 и не больше чем в 2 раза (получено: { $value }).
factor-range = `factor` должен быть больше 1 и не больше 4 (получено: { $value }).
pan-direction-needed = Расширению нужно направление (влево, вправо, вверх, вниз), и только расширению.
pan-direction-unknown = Расширяй влево, вправо, вверх или вниз (получено: { $value }).
strength-needs-image = `сила` работает вместе с `картинка`: прикрепи и картинку.
strength-needs-steps = При силе { $strength } картинке нужно минимум { $steps } шагов (получено: { $value }).
no-prompt = Скажи, что нарисовать: напиши `описание` или прикрепи `аудио`.
unknown-language = Я не знаю язык «{ $language }»: выбери из списка.

not-audio = Это вложение — не аудио: прикрепи голосовое или аудиофайл (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = В этом сообщении нет аудио: используй это на голосовом или аудиофайле.
file-too-big = Файл слишком большой ({ NUMBER($size_mib, minimumFractionDigits: 1) } МиБ); максимум — { $limit_mib } МиБ.
not-a-picture = Это вложение — не картинка: прикрепи PNG, JPEG или WebP.
attachment-picture-too-big = Картинка слишком большая ({ NUMBER($size_mib, minimumFractionDigits: 1) } МиБ); максимум — { $limit_mib } МиБ.
audio-file-empty = Файл пустой — отправь голосовое или аудиофайл.
audio-unreadable = Не получается прочитать это как аудио — отправь голосовое или аудиофайл (ogg, mp3, m4a, wav, webm, flac).
audio-silent = Аудио пустое — я ничего в нём не услышал.
audio-decode-timeout = Это аудио слишком долго декодировалось — попробуй файл покороче или попроще.
audio-too-long = Аудио слишком длинное ({ NUMBER($seconds, minimumFractionDigits: 1) } с); максимум — { $limit } с. Отправь запись покороче.
audio-too-long-unknown = Аудио слишком длинное (больше { $limit } с); максимум — { $limit } с. Отправь запись покороче.
recording-too-large = Запись слишком большая (максимум — { $limit_mib } МиБ).
no-speech = Я не услышал в записи никакой речи. Попробуй ещё раз, говоря чуть ближе к микрофону.
fetch-failed-recording = Не получилось скачать твою запись из Discord даже с повторами. Отправь её ещё раз.
fetch-failed-picture = Не получилось скачать из Discord картинку для вариации даже с повторами. Отправь её ещё раз.

picture-unreadable = Не удалось прочитать картинку (файл повреждён?).
picture-too-big = Картинка больше { $limit_mib } МиБ; пришли поменьше.
picture-too-many-pixels = Картинка { $width }×{ $height }: не больше { $limit } пикселей, пожалуйста.
picture-bomb = В картинке слишком много пикселей.
picture-not-a-picture = Это не картинка PNG, JPEG или WebP.
picture-at-max-size = Картинка уже максимального размера ({ $max_side } px).
picture-at-max-side = Картинка уже { $max_side } px в эту сторону.
picture-gone = Этой картинки больше нет в сообщении.
out-of-memory = Не хватает памяти GPU на { $count } картинки { $width }x{ $height }; попроси меньше или поменьше.
pictures-too-large = Эти картинки слишком большие для отправки; попроси меньше или поменьше.

queue-full = Очередь заполнена ({ $count } заявок). Попробуй через пару минут.
user-limit = { $count ->
    [one] У тебя уже { $count } заявка в очереди. Подожди, пока она закончится, или отмени её.
    [few] У тебя уже { $count } заявки в очереди. Подожди, пока одна закончится, или отмени одну.
    [many] У тебя уже { $count } заявок в очереди. Подожди, пока одна закончится, или отмени одну.
   *[other] У тебя уже { $count } заявки в очереди. Подожди, пока одна закончится, или отмени одну.
}
queue-unavailable = Моя очередь заявок сейчас недоступна, поэтому новые я не принимаю. Попробуй через минуту.

job-forgotten = Этой заявки у меня больше нет, извини: начни новую через /нарисуй.
button-out-of-date = Эта кнопка устарела: используй её на более свежем результате.
already-on-it = Уже делаю.
requester-only = На этом сервере этими кнопками может пользоваться только { $user }. Начни свою заявку через /нарисуй.
delete-not-yours = Удалить эти картинки может только тот, кто их заказал (или модератор).
cancel-not-yours = Это не твоя заявка, или она уже завершена.
deleted = Удалено.
cancelled = Отменено.
remix-not-yours = На этом сервере ремикс этой картинки может сделать только { $user }. Начни свою заявку через /нарисуй.
parameter-unknown = Я не знаю параметр `{ $name }`. Я понимаю { $known }.
parameter-twice = `{ $name }` указан дважды: оставь один раз.
parameter-empty = После `{ $name }` нужно значение, например `--ar 16:9` или `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` — не соотношение сторон: пиши ширина:высота от 1:4 до 4:1, например `16:9`.
parameter-bad-number = `{ $name }` — целое число от { $low } до { $high } (получено: { $value }).
zoom-custom-factor = Укажи число от 1 до 2, например 1,5 (получено: { $value }).
picture-square = Эта картинка уже квадратная.
sampler-unusable = Сэмплер { $sampler } не работает с { $model } ({ $family }): выберите один из { $known } или оставьте `sampler` пустым.
guidance-ignored = { $model } рисует без guidance: оставьте `guidance` пустым.
negative-ignored = Негативному промпту с { $model } нужен guidance больше 1 (получено: { $guidance }): увеличьте `guidance` или оставьте `negative` пустым.
