job-saved = 💾 Salvato — mi sto riavviando; la tua richiesta parte appena torno
job-queued = ⏳ In coda
job-queued-position = ⏳ In coda — posto { $position } di { $length }
job-eta = circa { $duration }
job-warming-up = 🔥 Mi sto scaldando: { $what }…
job-listening = 👂 Ascolto…
job-drawing = 🎨 Disegno…
job-drawing-step = 🎨 Disegno — passo { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = mancano { $duration }
job-done = ✅ Fatto
job-transcribed = 📝 Trascritto
job-cancelled = 🚫 Annullato
job-failed = ❌ { $error }
job-failed-plain = ❌ Non riuscito
job-footer = richiesta { $job } · { $user }
job-lost = ❌ Mi sono riavviato prima di salvare la tua richiesta, scusa. Rimandala, per favore.
job-here = ecco la tua richiesta:
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min { $seconds } s

field-heard = Sentito ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Sentito ({ $language }, { NUMBER($probability, style: "percent") }, non sono sicuro: lingua sbagliata? sceglila qui sotto)
field-translation = Traduzione
field-no-translation = Nessuna traduzione
field-prompt-cut = Descrizione tagliata
field-prompt-cut-value = Quello che hai detto è più lungo di quanto possa essere una descrizione: ho disegnato la prima parte.
field-negative = Negativo
field-seed = Seed
field-guidance = Guida
field-steps = Passi
field-size = Dimensione
field-images = Immagini
field-model = Modello
model-fast = { $model } · veloce
field-sampler = Sampler
field-style = Stile
field-safety = Filtro di sicurezza
safety-withheld = { $count ->
    [one] { $count } immagine segnalata come NSFW: trattenuta.
    [many] { $count } immagini segnalate come NSFW: trattenute.
   *[other] { $count } immagini segnalate come NSFW: trattenute.
}
safety-spoilered = { $count ->
    [one] { $count } immagine segnalata come NSFW: inviata come spoiler.
    [many] { $count } immagini segnalate come NSFW: inviate come spoiler.
   *[other] { $count } immagini segnalate come NSFW: inviate come spoiler.
}
safety-shown = { $count ->
    [one] { $count } immagine segnalata come NSFW: mostrata.
    [many] { $count } immagini segnalate come NSFW: mostrate.
   *[other] { $count } immagini segnalate come NSFW: mostrate.
}
field-remix-of = Remix della richiesta { $job }
drawn-from-vary = Variazione di
drawn-from-upscale = Ingrandimento di
drawn-from-zoom = Zoom indietro da
drawn-from-pan = Esteso da
drawn-from-image = Disegnato dalla tua immagine
strength = intensità { $strength }
source-strength = { $source } (intensità { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = sconosciuta
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Lingua sbagliata? Scegli quella parlata
translation-unavailable = { $model } non sa tradurre, e il modello di traduzione { $translator } non è disponibile
translation-invented = la traduzione conteneva parole che non sono nell'audio, quindi viene disegnata la trascrizione
plain-text = { $text }

button-reroll = Rifai
button-edit = Modifica descrizione
button-delete = Elimina
button-cancel = Annulla
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Zoom indietro { $factor }×
button-draw = Disegnalo

form-edit-title = Modifica descrizione
form-prompt = Descrizione
form-negative = Descrizione negativa
form-heard = Cosa ho sentito (solo riferimento)
field-parameters = Parametri
button-vary-subtle = Varia (leggera)
button-vary-strong = Varia (forte)
button-upscale-subtle = Ingrandisci (leggero)
button-upscale-creative = Ingrandisci (creativo)
button-zoom-custom = Zoom su misura
button-square = Rendi quadrata
form-remix-title = Remix
form-zoom-title = Zoom su misura
form-zoom-factor = Zoom indietro di (da 1 a 2)
drawn-from-vary-subtle = Variazione leggera di
drawn-from-vary-strong = Variazione forte di
drawn-from-upscale-subtle = Ingrandimento leggero di
drawn-from-upscale-creative = Ingrandimento creativo di
drawn-from-square = Resa quadrata da
