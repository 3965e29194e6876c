error-generic = Algo ha fallado por mi parte (queda registrado). Inténtalo de nuevo, por favor.
error-not-here = No puedes usar eso aquí.
not-resumable = Tu petición no se pudo retomar tras un reinicio: { $reason }

prompt-empty = La descripción está vacía: di o escribe lo que quieres ver.
prompt-too-long = La descripción tiene { $length } caracteres; el límite es { $limit }.
negative-too-long = La descripción negativa es demasiado larga (límite: { $limit } caracteres).
prompt-banned = Esa descripción usa una palabra que no está permitida aquí.
bad-model-needs-settings = Para elegir modelo hacen falta los ajustes de imagen.
bad-aspect-or-size = Indica `aspect` o `width`/`height`, no ambos.
bad-size-or-aspect = Indica `formato` o `proporción`, no ambos.
bad-multiple = `{ $option }` debe ser múltiplo de { $multiple } (recibido: { $value }).
bad-one-of = `{ $option }` debe ser uno de estos: { $known } (recibido: { $value }).
bad-not-a-number = `{ $option }` debe ser un número (recibido: { $value }).
bad-out-of-range = `{ $option }` debe estar entre { $low } y { $high } (recibido: { $value }).
style-none-configured = `estilo`: este modelo no tiene estilos.
style-unknown = `estilo` debe ser uno de los estilos del modelo ({ $known }).
style-not-configured = El estilo { $style } no está configurado para { $model }.
fast-not-configured = No hay modo rápido configurado para el modelo { $model }.
aspect-no-side = Ningún lado dentro de los límites es múltiplo de { $multiple }.
settings-out-of-range = Fuera de rango: { $names }.
variation-unknown-kind = Tipo de variación desconocido: { $kind_name }.
zoom-factor = Aleja más de 1 vez y como mucho 2 (recibido: { $value }).
factor-range = `factor` debe ser mayor que 1 y como mucho 4 (recibido: { $value }).
pan-direction-needed = Una extensión necesita una dirección (izquierda, derecha, arriba, abajo), y solo una extensión.
pan-direction-unknown = Extiende a la izquierda, derecha, arriba o abajo (recibido: { $value }).
strength-needs-image = `fuerza` va con `imagen`: adjunta también una imagen.
strength-needs-steps = Con fuerza { $strength }, una imagen necesita al menos { $steps } pasos (recibido: { $value }).
no-prompt = Dime qué dibujar: escribe una `descripción` o adjunta `audio`.
unknown-language = No conozco el idioma «{ $language }»: elige uno de la lista.

not-audio = Ese adjunto no es audio: adjunta un mensaje de voz o un archivo de audio (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = Ese mensaje no tiene audio adjunto: usa esto en un mensaje de voz o un archivo de audio.
file-too-big = Ese archivo es demasiado grande ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); el límite es { $limit_mib } MiB.
not-a-picture = Ese adjunto no es una imagen: adjunta una imagen PNG, JPEG o WebP.
attachment-picture-too-big = Esa imagen es demasiado grande ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); el límite es { $limit_mib } MiB.
audio-file-empty = Ese archivo está vacío — envía un mensaje de voz o un archivo de audio.
audio-unreadable = No pude leer eso como audio — envía un mensaje de voz o un archivo de audio (ogg, mp3, m4a, wav, webm, flac).
audio-silent = El audio está vacío — no oí nada.
audio-decode-timeout = Ese audio tardó demasiado en decodificarse — prueba con un archivo más corto o más simple.
audio-too-long = Ese audio es demasiado largo ({ NUMBER($seconds, minimumFractionDigits: 1) } s); el límite es { $limit } s. Envía un clip más corto.
audio-too-long-unknown = Ese audio es demasiado largo (más de { $limit } s); el límite es { $limit } s. Envía un clip más corto.
recording-too-large = Esa grabación es demasiado grande (el límite es { $limit_mib } MiB).
no-speech = No oí ninguna voz en esa grabación. Prueba otra vez, hablando un poco más cerca del micro.
fetch-failed-recording = No pude descargar tu grabación de Discord, ni siquiera reintentando. Envíala otra vez, por favor.
fetch-failed-picture = No pude descargar de Discord la imagen a variar, ni siquiera reintentando. Envíala otra vez, por favor.

picture-unreadable = No se pudo leer la imagen (¿archivo dañado?).
picture-too-big = La imagen pasa de { $limit_mib } MiB; envía una más pequeña.
picture-too-many-pixels = La imagen mide { $width }×{ $height }: como mucho { $limit } píxeles, por favor.
picture-bomb = La imagen tiene demasiados píxeles.
picture-not-a-picture = Eso no es una imagen PNG, JPEG o WebP.
picture-at-max-size = La imagen ya es tan grande como se permite ({ $max_side } px).
picture-at-max-side = La imagen ya mide { $max_side } px en esa dirección.
picture-gone = Esa imagen ya no está en este mensaje.
out-of-memory = No hay memoria de GPU para { $count } imágenes de { $width }x{ $height }; pide menos o más pequeñas.
pictures-too-large = Esas imágenes son demasiado grandes para enviarlas; pide menos o más pequeñas.

queue-full = La cola está llena ({ $count } peticiones). Inténtalo de nuevo en unos minutos.
user-limit = { $count ->
    [one] Ya tienes { $count } petición en la cola. Espera a que termine o cancélala.
    [many] Ya tienes { $count } peticiones en la cola. Espera a que termine una o cancela alguna.
   *[other] Ya tienes { $count } peticiones en la cola. Espera a que termine una o cancela alguna.
}
queue-unavailable = Mi cola de peticiones no responde ahora mismo, así que no puedo aceptar nuevas. Inténtalo de nuevo en un minuto.

job-forgotten = Ya no tengo esa petición, lo siento: empieza una nueva con /imaginar.
button-out-of-date = Ese botón está desactualizado: úsalo en un resultado más reciente.
already-on-it = Ya estoy en ello.
requester-only = En este servidor solo { $user } puede usar estos botones. Empieza la tuya con /imaginar.
delete-not-yours = Solo quien pidió estas imágenes (o un moderador) puede borrarlas.
cancel-not-yours = Esa petición no es tuya o ya ha terminado.
deleted = Borrado.
cancelled = Cancelado.
remix-not-yours = En este servidor solo { $user } puede remezclar esa imagen. Empieza la tuya con /imaginar.
parameter-unknown = No conozco el parámetro `{ $name }`. Entiendo { $known }.
parameter-twice = `{ $name }` aparece dos veces: ponlo solo una vez.
parameter-empty = `{ $name }` necesita un valor detrás, como `--ar 16:9` o `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` no es una proporción: usa ancho:alto de 1:4 a 4:1, como `16:9`.
parameter-bad-number = `{ $name }` lleva un número entero de { $low } a { $high } (recibido: { $value }).
zoom-custom-factor = Pon un número de 1 a 2, como 1,5 (recibido: { $value }).
picture-square = Esa imagen ya es cuadrada.
sampler-unusable = El sampler { $sampler } no funciona con { $model } ({ $family }): elige uno de { $known } o deja `sampler` vacío.
guidance-ignored = { $model } dibuja sin guidance: deja `guidance` vacío.
negative-ignored = Un prompt negativo necesita una guidance mayor que 1 con { $model } (recibido: { $guidance }): sube `guidance` o deja `negative` vacío.
