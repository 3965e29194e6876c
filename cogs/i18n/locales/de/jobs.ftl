job-saved = 💾 Gespeichert — ich starte neu; dein Auftrag beginnt, sobald ich zurück bin
job-queued = ⏳ In der Warteschlange
job-queued-position = ⏳ In der Warteschlange — Platz { $position } von { $length }
job-eta = etwa { $duration }
job-warming-up = 🔥 Wärme mich auf: { $what }…
job-listening = 👂 Höre zu…
job-drawing = 🎨 Male…
job-drawing-step = 🎨 Male — Schritt { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = noch { $duration }
job-done = ✅ Fertig
job-transcribed = 📝 Transkribiert
job-cancelled = 🚫 Abgebrochen
job-failed = ❌ { $error }
job-failed-plain = ❌ Fehlgeschlagen
job-footer = Auftrag { $job } · { $user }
job-lost = ❌ Ich habe neu gestartet, bevor deine Anfrage gespeichert war, sorry. Schick sie bitte noch mal.
job-here = hier ist dein Auftrag:
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min { $seconds } s

field-heard = Gehört ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Gehört ({ $language }, { NUMBER($probability, style: "percent") }, unsicher: falsche Sprache? Unten auswählen)
field-translation = Übersetzung
field-no-translation = Keine Übersetzung
field-prompt-cut = Beschreibung gekürzt
field-prompt-cut-value = Was du gesagt hast, ist länger als eine Beschreibung sein darf: Ich habe den ersten Teil gemalt.
field-negative = Negativ
field-seed = Seed
field-guidance = Guidance
field-steps = Schritte
field-size = Größe
field-images = Bilder
field-model = Modell
model-fast = { $model } · schnell
field-sampler = Sampler
field-style = Stil
field-safety = Sicherheitsfilter
safety-withheld = { $count ->
    [one] { $count } Bild als NSFW markiert: zurückgehalten.
   *[other] { $count } Bilder als NSFW markiert: zurückgehalten.
}
safety-spoilered = { $count ->
    [one] { $count } Bild als NSFW markiert: als Spoiler gesendet.
   *[other] { $count } Bilder als NSFW markiert: als Spoiler gesendet.
}
safety-shown = { $count ->
    [one] { $count } Bild als NSFW markiert: angezeigt.
   *[other] { $count } Bilder als NSFW markiert: angezeigt.
}
field-remix-of = Remix von Auftrag { $job }
drawn-from-vary = Variation von
drawn-from-upscale = Vergrößerung von
drawn-from-zoom = Herausgezoomt aus
drawn-from-pan = Erweitert aus
drawn-from-image = Aus deinem Bild gemalt
strength = Stärke { $strength }
source-strength = { $source } (Stärke { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = unbekannt
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Falsche Sprache? Wähle die gesprochene
translation-unavailable = { $model } kann nicht übersetzen, und das Übersetzungsmodell { $translator } ist nicht verfügbar
translation-invented = die Übersetzung enthielt Wörter, die nicht in der Aufnahme sind, daher wird das Transkript gezeichnet
plain-text = { $text }

button-reroll = Neu würfeln
button-edit = Beschreibung ändern
button-delete = Löschen
button-cancel = Abbrechen
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Rauszoomen { $factor }×
button-draw = Malen

form-edit-title = Beschreibung ändern
form-prompt = Beschreibung
form-negative = Negative Beschreibung
form-heard = Gehört (zur Info; wird nicht benutzt)
field-parameters = Parameter
button-vary-subtle = Variieren (subtil)
button-vary-strong = Variieren (stark)
button-upscale-subtle = Vergrößern (subtil)
button-upscale-creative = Vergrößern (kreativ)
button-zoom-custom = Eigener Zoom
button-square = Quadratisch machen
form-remix-title = Remix
form-zoom-title = Eigener Zoom
form-zoom-factor = Rauszoomen um (1 bis 2)
drawn-from-vary-subtle = Subtile Variation von
drawn-from-vary-strong = Starke Variation von
drawn-from-upscale-subtle = Subtile Vergrößerung von
drawn-from-upscale-creative = Kreative Vergrößerung von
drawn-from-square = Quadratisch gemacht aus
