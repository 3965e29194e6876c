error-generic = У мене щось зламалося (вже в логах). Спробуй ще раз.
error-not-here = Тут цим користуватися не можна.
not-resumable = Твою заявку не вдалося продовжити після перезапуску: { $reason }

prompt-empty = Опис порожній: скажи чи напиши, що хочеш побачити.
prompt-too-long = В описі { $length } символів; максимум — { $limit }.
negative-too-long = Негативний опис задовгий (максимум { $limit } символів).
prompt-banned = У цьому описі є слово, заборонене тут.
bad-model-needs-settings = Для вибору моделі потрібні налаштування картинок.
bad-aspect-or-size = Вкажи або `aspect`, або `width`/`height`, але не все разом.
bad-size-or-aspect = Вкажи або `формат`, або `пропорції`, але не обидва.
bad-multiple = `{ $option }` має бути кратним { $multiple } (отримано: { $value }).
bad-one-of = `{ $option }` має бути одним із: { $known } (отримано: { $value }).
bad-not-a-number = `{ $option }` має бути числом (отримано: { $value }).
bad-out-of-range = `{ $option }` має бути від { $low } до { $high } (отримано: { $value }).
style-none-configured = `стиль`: у цієї моделі немає стилів.
style-unknown = `стиль` має бути одним зі стилів моделі ({ $known }).
style-not-configured = Стиль { $style } не налаштований для { $model }.
fast-not-configured = Для моделі { $model } швидкий режим не налаштований.
aspect-no-side = Жодна сторона в межах лімітів не кратна { $multiple }.
settings-out-of-range = Поза допустимим діапазоном: { $names }.
variation-unknown-kind = Невідомий вид варіації: { $kind_name }.
zoom-factor = Віддалити можна більш ніж в 1 і не більш ніж у 2 рази (отримано: { $value }).
factor-range = `factor` має бути більшим за 1 і не більшим за 4 (отримано: { $value }).
pan-direction-needed = Розширенню потрібен напрямок (вліво, вправо, вгору, вниз), і лише розширенню.
pan-direction-unknown = Розширюй вліво, вправо, вгору або вниз (отримано: { $value }).
strength-needs-image = `сила` працює разом із `картинка`: прикріпи й картинку.
strength-needs-steps = За сили { $strength } картинці потрібно щонайменше { $steps } кроків (отримано: { $value }).
no-prompt = Скажи, що намалювати: напиши `опис` або прикріпи `аудіо`.
unknown-language = Я не знаю мову «{ $language }»: обери зі списку.

not-audio = Це вкладення — не аудіо: прикріпи голосове чи аудіофайл (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = У цьому повідомленні немає аудіо: використай це на голосовому чи аудіофайлі.
file-too-big = Файл завеликий ({ NUMBER($size_mib, minimumFractionDigits: 1) } МіБ); максимум — { $limit_mib } МіБ.
not-a-picture = Це вкладення — не картинка: прикріпи PNG, JPEG або WebP.
attachment-picture-too-big = Картинка завелика ({ NUMBER($size_mib, minimumFractionDigits: 1) } МіБ); максимум — { $limit_mib } МіБ.
audio-file-empty = Файл порожній — надішли голосове чи аудіофайл.
audio-unreadable = Не вдається прочитати це як аудіо — надішли голосове чи аудіофайл (ogg, mp3, m4a, wav, webm, flac).
audio-silent = Аудіо порожнє — я нічого в ньому не почув.
audio-decode-timeout = Це аудіо задовго декодувалося — спробуй файл коротший чи простіший.
audio-too-long = Аудіо задовге ({ NUMBER($seconds, minimumFractionDigits: 1) } с); максимум — { $limit } с. Надішли коротший запис.
audio-too-long-unknown = Аудіо задовге (понад { $limit } с); максимум — { $limit } с. Надішли коротший запис.
recording-too-large = Запис завеликий (максимум — { $limit_mib } МіБ).
no-speech = Я не почув у записі жодного мовлення. Спробуй ще раз, говорячи трохи ближче до мікрофона.
fetch-failed-recording = Не вдалося завантажити твій запис із Discord навіть із повторами. Надішли його ще раз.
fetch-failed-picture = Не вдалося завантажити з Discord картинку для варіації навіть із повторами. Надішли її ще раз.

picture-unreadable = Не вдалося прочитати картинку (файл пошкоджено?).
picture-too-big = Картинка більша за { $limit_mib } МіБ; надішли меншу.
picture-too-many-pixels = Картинка { $width }×{ $height }: не більше { $limit } пікселів, будь ласка.
picture-bomb = У картинці забагато пікселів.
picture-not-a-picture = Це не картинка PNG, JPEG або WebP.
picture-at-max-size = Картинка вже максимального розміру ({ $max_side } px).
picture-at-max-side = Картинка вже { $max_side } px у цей бік.
picture-gone = Цієї картинки вже немає в повідомленні.
out-of-memory = Бракує пам'яті GPU на { $count } картинки { $width }x{ $height }; попроси менше чи менші.
pictures-too-large = Ці картинки завеликі для надсилання; попроси менше чи менші.

queue-full = Черга заповнена ({ $count } заявок). Спробуй за кілька хвилин.
user-limit = { $count ->
    [one] У тебе вже { $count } заявка в черзі. Зачекай, поки вона завершиться, або скасуй її.
    [few] У тебе вже { $count } заявки в черзі. Зачекай, поки одна завершиться, або скасуй одну.
    [many] У тебе вже { $count } заявок у черзі. Зачекай, поки одна завершиться, або скасуй одну.
   *[other] У тебе вже { $count } заявки в черзі. Зачекай, поки одна завершиться, або скасуй одну.
}
queue-unavailable = Моя черга заявок зараз недоступна, тож нових я не приймаю. Спробуй за хвилину.

job-forgotten = Цієї заявки в мене вже немає, вибач: почни нову через /намалюй.
button-out-of-date = Ця кнопка застаріла: використай її на свіжішому результаті.
already-on-it = Вже роблю.
requester-only = На цьому сервері цими кнопками може користуватися лише { $user }. Почни свою заявку через /намалюй.
delete-not-yours = Видалити ці картинки може лише той, хто їх замовив (або модератор).
cancel-not-yours = Це не твоя заявка, або вона вже завершилася.
deleted = Видалено.
cancelled = Скасовано.
remix-not-yours = На цьому сервері ремікс цієї картинки може зробити лише { $user }. Почни свою заявку через /намалюй.
parameter-unknown = Я не знаю параметр `{ $name }`. Я розумію { $known }.
parameter-twice = `{ $name }` вказано двічі: залиш один раз.
parameter-empty = Після `{ $name }` потрібне значення, наприклад `--ar 16:9` чи `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` — не співвідношення сторін: пиши ширина:висота від 1:4 до 4:1, наприклад `16:9`.
parameter-bad-number = `{ $name }` — ціле число від { $low } до { $high } (отримано: { $value }).
zoom-custom-factor = Вкажи число від 1 до 2, наприклад 1,5 (отримано: { $value }).
picture-square = Ця картинка вже квадратна.
sampler-unusable = Семплер { $sampler } не працює з { $model } ({ $family }): виберіть один із { $known } або залиште `sampler` порожнім.
guidance-ignored = { $model } малює без guidance: залиште `guidance` порожнім.
negative-ignored = Негативному промпту з { $model } потрібен guidance понад 1 (отримано: { $guidance }): збільште `guidance` або залиште `negative` порожнім.
