job-saved = 💾 Guardado — me estoy reiniciando; tu petición empieza en cuanto vuelva
job-queued = ⏳ En cola
job-queued-position = ⏳ En cola — puesto { $position } de { $length }
job-eta = unos { $duration }
job-warming-up = 🔥 Calentando: { $what }…
job-listening = 👂 Escuchando…
job-drawing = 🎨 Dibujando…
job-drawing-step = 🎨 Dibujando — paso { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = quedan { $duration }
job-done = ✅ Listo
job-transcribed = 📝 Transcrito
job-cancelled = 🚫 Cancelado
job-failed = ❌ { $error }
job-failed-plain = ❌ Falló
job-footer = petición { $job } · { $user }
job-lost = ❌ Me reinicié antes de guardar tu petición, lo siento. Envíala otra vez, por favor.
job-here = aquí tienes tu petición:
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min { $seconds } s

field-heard = Oído ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Oído ({ $language }, { NUMBER($probability, style: "percent") }, no estoy seguro: ¿idioma equivocado? elígelo abajo)
field-translation = Traducción
field-no-translation = Sin traducción
field-prompt-cut = Descripción recortada
field-prompt-cut-value = Lo que dijiste es más largo de lo que admite una descripción: dibujé la primera parte.
field-negative = Negativo
field-seed = Semilla
field-guidance = Guía
field-steps = Pasos
field-size = Tamaño
field-images = Imágenes
field-model = Modelo
model-fast = { $model } · rápido
field-sampler = Sampler
field-style = Estilo
field-safety = Filtro de seguridad
safety-withheld = { $count ->
    [one] { $count } imagen marcada como NSFW: retenida.
    [many] { $count } imágenes marcadas como NSFW: retenidas.
   *[other] { $count } imágenes marcadas como NSFW: retenidas.
}
safety-spoilered = { $count ->
    [one] { $count } imagen marcada como NSFW: enviada como spoiler.
    [many] { $count } imágenes marcadas como NSFW: enviadas como spoiler.
   *[other] { $count } imágenes marcadas como NSFW: enviadas como spoiler.
}
safety-shown = { $count ->
    [one] { $count } imagen marcada como NSFW: mostrada.
    [many] { $count } imágenes marcadas como NSFW: mostradas.
   *[other] { $count } imágenes marcadas como NSFW: mostradas.
}
field-remix-of = Remezcla de la petición { $job }
drawn-from-vary = Variación de
drawn-from-upscale = Ampliación de
drawn-from-zoom = Alejado desde
drawn-from-pan = Extendido desde
drawn-from-image = Dibujado a partir de tu imagen
strength = fuerza { $strength }
source-strength = { $source } (fuerza { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = desconocido
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = ¿Idioma equivocado? Elige el que se habla
translation-unavailable = { $model } no puede traducir, y el modelo de traducción { $translator } no está disponible
translation-invented = la traducción tenía palabras que no están en el audio, así que se dibuja la transcripción
plain-text = { $text }

button-reroll = Repetir
button-edit = Editar descripción
button-delete = Borrar
button-cancel = Cancelar
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Alejar { $factor }×
button-draw = Dibujar esto

form-edit-title = Editar descripción
form-prompt = Descripción
form-negative = Descripción negativa
form-heard = Lo que oí (referencia; no se usa)
field-parameters = Parámetros
button-vary-subtle = Variar (sutil)
button-vary-strong = Variar (fuerte)
button-upscale-subtle = Ampliar (sutil)
button-upscale-creative = Ampliar (creativo)
button-zoom-custom = Zoom a medida
button-square = Hacer cuadrada
form-remix-title = Remezcla
form-zoom-title = Zoom a medida
form-zoom-factor = Alejar (de 1 a 2)
drawn-from-vary-subtle = Variación sutil de
drawn-from-vary-strong = Variación fuerte de
drawn-from-upscale-subtle = Ampliación sutil de
drawn-from-upscale-creative = Ampliación creativa de
drawn-from-square = Hecha cuadrada desde
