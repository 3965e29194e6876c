# A job's message: its state line, the embed's fields, its buttons and menus.
# Placeables: numbers are formatted for the locale; $job, $seed and $user are shown as they are.

job-saved = 💾 Saved — I'm restarting; your job starts as soon as I'm back
job-queued = ⏳ Queued
job-queued-position = ⏳ Queued — position { $position } of { $length }
job-eta = about { $duration }
job-warming-up = 🔥 Warming up: { $what }…
job-listening = 👂 Listening…
job-drawing = 🎨 Drawing…
job-drawing-step = 🎨 Drawing — step { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = { $duration } left
job-done = ✅ Done
job-transcribed = 📝 Transcribed
job-cancelled = 🚫 Cancelled
job-failed = ❌ { $error }
job-failed-plain = ❌ Failed
job-footer = job { $job } · { $user }
job-lost = ❌ I restarted before your request was saved, sorry. Please send it again.
job-here = here is your job:
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min { $seconds } s

field-heard = Heard ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Heard ({ $language }, { NUMBER($probability, style: "percent") }, unsure: wrong language? pick it below)
field-translation = Translation
field-no-translation = No translation
field-prompt-cut = Prompt cut
field-prompt-cut-value = What you said is longer than a prompt may be: I drew its first part.
field-negative = Negative
field-seed = Seed
field-guidance = Guidance
field-steps = Steps
field-size = Size
field-images = Images
field-model = Model
model-fast = { $model } · fast
field-sampler = Sampler
field-style = Style
field-safety = Safety checker
safety-withheld = { $count ->
    [one] { $count } picture flagged as NSFW: withheld.
   *[other] { $count } pictures flagged as NSFW: withheld.
}
safety-spoilered = { $count ->
    [one] { $count } picture flagged as NSFW: sent as a spoiler.
   *[other] { $count } pictures flagged as NSFW: sent as spoilers.
}
safety-shown = { $count ->
    [one] { $count } picture flagged as NSFW: shown.
   *[other] { $count } pictures flagged as NSFW: shown.
}
field-remix-of = Remix of job { $job }
drawn-from-vary = Variation of
drawn-from-upscale = Upscale of
drawn-from-zoom = Zoomed out from
drawn-from-pan = Panned from
drawn-from-image = Drawn from your picture
strength = strength { $strength }
source-strength = { $source } (strength { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = unknown
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Wrong language? Pick the one spoken
translation-unavailable = { $model } cannot translate, and the translation model { $translator } is not available
translation-invented = the translation held words that are not in the audio, so the transcript is drawn
plain-text = { $text }

button-reroll = Re-roll
button-edit = Edit prompt
button-delete = Delete
button-cancel = Cancel
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Zoom out { $factor }×
button-draw = Draw this

form-edit-title = Edit prompt
form-prompt = Prompt
form-negative = Negative prompt
form-heard = What was heard (for reference; not used)
field-parameters = Parameters
button-vary-subtle = Vary (Subtle)
button-vary-strong = Vary (Strong)
button-upscale-subtle = Upscale (Subtle)
button-upscale-creative = Upscale (Creative)
button-zoom-custom = Custom Zoom
button-square = Make Square
form-remix-title = Remix
form-zoom-title = Custom Zoom
form-zoom-factor = Zoom out by (1 to 2)
drawn-from-vary-subtle = Subtle variation of
drawn-from-vary-strong = Strong variation of
drawn-from-upscale-subtle = Subtle upscale of
drawn-from-upscale-creative = Creative upscale of
drawn-from-square = Made square from
