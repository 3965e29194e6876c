job-saved = 💾 Enregistré — je redémarre ; ta demande commence dès mon retour
job-queued = ⏳ En file d'attente
job-queued-position = ⏳ En file d'attente — place { $position } sur { $length }
job-eta = environ { $duration }
job-warming-up = 🔥 Je chauffe : { $what }…
job-listening = 👂 J'écoute…
job-drawing = 🎨 Je dessine…
job-drawing-step = 🎨 Je dessine — étape { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = encore { $duration }
job-done = ✅ Terminé
job-transcribed = 📝 Transcrit
job-cancelled = 🚫 Annulé
job-failed = ❌ { $error }
job-failed-plain = ❌ Échec
job-footer = demande { $job } · { $user }
job-lost = ❌ J'ai redémarré avant d'avoir enregistré ta demande, désolé. Renvoie-la, s'il te plaît.
job-here = voici ta demande :
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min { $seconds } s

field-heard = Entendu ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Entendu ({ $language }, { NUMBER($probability, style: "percent") }, pas sûr : mauvaise langue ? choisis-la en dessous)
field-translation = Traduction
field-no-translation = Pas de traduction
field-prompt-cut = Description coupée
field-prompt-cut-value = Ce que tu as dit dépasse la longueur d'une description : j'en ai dessiné le début.
field-negative = Négatif
field-seed = Seed
field-guidance = Guidage
field-steps = Étapes
field-size = Taille
field-images = Images
field-model = Modèle
model-fast = { $model } · rapide
field-sampler = Sampler
field-style = Style
field-safety = Filtre de sécurité
safety-withheld = { $count ->
    [one] { $count } image signalée NSFW : retenue.
    [many] { $count } images signalées NSFW : retenues.
   *[other] { $count } images signalées NSFW : retenues.
}
safety-spoilered = { $count ->
    [one] { $count } image signalée NSFW : envoyée en spoiler.
    [many] { $count } images signalées NSFW : envoyées en spoiler.
   *[other] { $count } images signalées NSFW : envoyées en spoiler.
}
safety-shown = { $count ->
    [one] { $count } image signalée NSFW : affichée.
    [many] { $count } images signalées NSFW : affichées.
   *[other] { $count } images signalées NSFW : affichées.
}
field-remix-of = Remix de la demande { $job }
drawn-from-vary = Variation de
drawn-from-upscale = Agrandissement de
drawn-from-zoom = Dézoom de
drawn-from-pan = Extension de
drawn-from-image = Dessiné à partir de ton image
strength = force { $strength }
source-strength = { $source } (force { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = inconnue
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Mauvaise langue ? Choisis celle qui est parlée
translation-unavailable = { $model } ne sait pas traduire, et le modèle de traduction { $translator } n'est pas disponible
translation-invented = la traduction contenait des mots absents de l'audio, la transcription est donc dessinée
plain-text = { $text }

button-reroll = Relancer
button-edit = Modifier
button-delete = Supprimer
button-cancel = Annuler
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Dézoomer { $factor }×
button-draw = Dessiner

form-edit-title = Modifier la description
form-prompt = Description
form-negative = Description négative
form-heard = Entendu (pour info, pas utilisé)
field-parameters = Paramètres
button-vary-subtle = Varier (subtil)
button-vary-strong = Varier (fort)
button-upscale-subtle = Agrandir (subtil)
button-upscale-creative = Agrandir (créatif)
button-zoom-custom = Zoom personnalisé
button-square = Rendre carré
form-remix-title = Remix
form-zoom-title = Zoom personnalisé
form-zoom-factor = Dézoomer de (1 à 2)
drawn-from-vary-subtle = Variation subtile de
drawn-from-vary-strong = Variation forte de
drawn-from-upscale-subtle = Agrandissement subtil de
drawn-from-upscale-creative = Agrandissement créatif de
drawn-from-square = Rendu carré depuis
