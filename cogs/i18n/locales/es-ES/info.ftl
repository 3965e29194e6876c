help = **Habla y yo dibujo.**
    • `/imaginar descripción:<texto>` — o adjunta `audio:` (un mensaje de voz o archivo de audio) y dibujo lo que dices, en cualquier idioma (primero lo traduzco al inglés).
    • Clic derecho en un mensaje de voz → *Apps* → **Imaginar desde mensaje de voz** o **Transcribir mensaje de voz** (idioma, transcripción y traducción al inglés; luego 🎨 *Dibujar esto* o ✏️ edítalo antes).
    • `idioma:` dice qué idioma hablas (por defecto: detectado); en una petición de voz, el menú **¿Idioma equivocado?** vuelve a escuchar en el que elijas.
    • Opciones: `semilla` (misma semilla + mismas opciones = misma imagen), `guía` (1–20: cuánto seguir la descripción), `pasos` (más = más lento y más fino), `cantidad` (imágenes), `negativo` (lo que debe quedar fuera), `formato` o `proporción` (16:9, 2:3…), `modelo`, `sampler`, `estilo` (un estilo que ofrece el modelo), `rápido` (unos pocos pasos rápidos).
    • `imagen:` dibuja a partir de tu propia imagen (PNG, JPEG o WebP); `fuerza` 0,05–1 dice cuánto alejarse de ella.
    • Mientras dibujo, el mensaje muestra cómo van tomando forma tus imágenes; botones, parámetros y modo Remezcla, abajo.
    • 🎙️ Responde a una de mis imágenes con un mensaje de voz («ahora de noche») y la remezclo: mismo modelo, tamaño y semilla, tus palabras como nueva descripción.
    • Cada resultado muestra el idioma detectado, la transcripción, la traducción, la descripción, la semilla, la guía, los pasos, el tamaño y el modelo, para que puedas repetirlo.
    • `/cola` muestra tu puesto; `/estado` muestra con qué funciono.

queue-head = Cola: { $waiting } esperando, { $drawing ->
    [0] ninguna dibujándose
   *[other] { $drawing } dibujándose
}.
queue-drawing-now = dibujándose ahora
queue-state = { $state ->
    [queued] en cola
    [listening] escuchando
    [waiting] esperando
   *[other] { $state }
}
queue-listening = (escuchando…)
queue-none-yours = No tienes peticiones en la cola.

status-none-loaded = ninguno cargado aún
status-models = Whisper: { $speech } · modelo de imagen: `{ $image }` — { $status }
status-device = Dispositivo: { $device }
status-jobs = Peticiones hechas: { $done }; esperando: { $waiting }
status-average-listening = Escucha media: { NUMBER($seconds, minimumFractionDigits: 1) } s
status-average-drawing = Dibujo medio: { NUMBER($seconds, minimumFractionDigits: 1) } s

settings-title = Ajustes de este servidor
settings-saved = Guardado.
settings-not-admin = Necesitas el permiso Gestionar servidor para cambiar mis ajustes.
settings-no-content-intent = El modo automático y los canales de transcripción necesitan el intent Message Content, que este bot no pide. Quien gestiona el bot debe activar *Message Content Intent* en el Discord Developer Portal (Bot → Privileged Gateway Intents), poner `discord.message_content_intent = true` (o `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) y reiniciarlo. Mientras tanto, usa el menú *Imaginar desde mensaje de voz* en un mensaje de voz.
settings-whisper-model = Modelo Whisper
settings-image-model = Modelo de imagen
settings-voice = Mensajes de voz
settings-voice-auto = automático en { $where }
settings-voice-off = desactivado (usa el menú contextual)
settings-everywhere = todos los canales
settings-transcribed = Transcritos, sin dibujar
settings-nowhere = ninguno
settings-defaults = Por defecto
settings-defaults-value = guía { $guidance }, { $steps ->
    [one] { $steps } paso
    [many] { $steps } pasos
   *[other] { $steps } pasos
}, { $count ->
    [one] { $count } imagen
    [many] { $count } imágenes
   *[other] { $count } imágenes
}
settings-per-user = Peticiones por persona
settings-buttons = Botones
settings-buttons-requester = solo quien lo pidió
settings-anyone = cualquiera
settings-nsfw = NSFW
settings-nsfw-value = imágenes marcadas { $action ->
    [spoiler] enviadas como spoiler
   *[withhold] retenidas
} fuera de los canales NSFW; filtro { $checker ->
    [off] desactivado
   *[on] activado
} en los canales NSFW
settings-banned = Palabras prohibidas
settings-none = ninguna
settings-language = Idioma de los mensajes
settings-text-remixes = Remezcla por respuesta escrita
settings-on = activado
settings-off = desactivado
language-auto = auto (detectar)
help-buttons-title = Botones en un resultado
help-buttons = 🎲 repetir, ✏️ editar la descripción, 🗑️ borrar. En una cuadrícula, **V1…** varía esa imagen y **U1…** la dibuja al doble de tamaño (misma semilla).
    En una sola imagen: 🪄 **Variar** (sutil o fuerte), ⬆️ **Ampliar** (sutil: más nítida, la misma imagen; creativo: detalles nuevos), 🔍 alejar 2× o 1,5×, **Zoom a medida** (un factor de 1 a 2 y una nueva descripción), ↔️ **Hacer cuadrada** (si no lo es) y ⬅➡⬆⬇ para extenderla hacia ese lado: sus píxeles se mantienen.
help-parameters-title = Parámetros en la descripción
help-parameters = Ponlos al final de una descripción escrita: `--ar 16:9` el formato, `--no text, people` lo que debe quedar fuera, `--seed 42`, `--steps 30`, `--chaos 0-100` cuánto difieren las imágenes de una cuadrícula, `--stylize 0-1000` cuánta libertad me tomo (100 es lo normal; menos sigue más la descripción). Las opciones como `semilla:` mandan sobre ellos. Lo que dices en voz alta nunca se lee como parámetro.
help-remix-title = Modo Remezcla
help-remix = `/remezcla` lo activa o desactiva para ti: una variación o 🎲 repetir abre antes su descripción para que la cambies (parámetros incluidos). Un servidor puede ponerlo por defecto en `/ajustes`.
remix-mode-on = 🎛️ El modo Remezcla está **activado**: una variación o repetición abre antes su descripción para que la cambies. `/remezcla` otra vez lo desactiva.
remix-mode-off = El modo Remezcla está **desactivado**: variaciones y repeticiones se dibujan al momento.
settings-remix-mode = Modo Remezcla (por defecto)
settings-previews = Vistas previas en directo
