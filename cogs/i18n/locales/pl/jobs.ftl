job-saved = 💾 Zapisane — restartuję się; twoje zlecenie ruszy, gdy tylko wrócę
job-queued = ⏳ W kolejce
job-queued-position = ⏳ W kolejce — miejsce { $position } z { $length }
job-eta = ok. { $duration }
job-warming-up = 🔥 Rozgrzewam się: { $what }…
job-listening = 👂 Słucham…
job-drawing = 🎨 Rysuję…
job-drawing-step = 🎨 Rysuję — krok { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = zostało { $duration }
job-done = ✅ Gotowe
job-transcribed = 📝 Przepisane
job-cancelled = 🚫 Anulowane
job-failed = ❌ { $error }
job-failed-plain = ❌ Nie udało się
job-footer = zlecenie { $job } · { $user }
job-lost = ❌ Zrestartowałem się, zanim zapisałem twoją prośbę, sorry. Wyślij ją jeszcze raz.
job-here = oto twoje zlecenie:
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min { $seconds } s

field-heard = Usłyszane ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Usłyszane ({ $language }, { NUMBER($probability, style: "percent") }, niepewne: zły język? wybierz poniżej)
field-translation = Tłumaczenie
field-no-translation = Brak tłumaczenia
field-prompt-cut = Opis skrócony
field-prompt-cut-value = To, co powiedziałeś, jest dłuższe niż może być opis: narysowałem pierwszą część.
field-negative = Negatyw
field-seed = Seed
field-guidance = Wierność
field-steps = Kroki
field-size = Rozmiar
field-images = Obrazy
field-model = Model
model-fast = { $model } · szybko
field-sampler = Sampler
field-style = Styl
field-safety = Filtr bezpieczeństwa
safety-withheld = { $count ->
    [one] { $count } obraz oznaczony jako NSFW: wstrzymany.
    [few] { $count } obrazy oznaczone jako NSFW: wstrzymane.
    [many] { $count } obrazów oznaczonych jako NSFW: wstrzymane.
   *[other] { $count } obrazu oznaczonego jako NSFW: wstrzymane.
}
safety-spoilered = { $count ->
    [one] { $count } obraz oznaczony jako NSFW: wysłany jako spoiler.
    [few] { $count } obrazy oznaczone jako NSFW: wysłane jako spoilery.
    [many] { $count } obrazów oznaczonych jako NSFW: wysłane jako spoilery.
   *[other] { $count } obrazu oznaczonego jako NSFW: wysłane jako spoilery.
}
safety-shown = { $count ->
    [one] { $count } obraz oznaczony jako NSFW: pokazany.
    [few] { $count } obrazy oznaczone jako NSFW: pokazane.
    [many] { $count } obrazów oznaczonych jako NSFW: pokazane.
   *[other] { $count } obrazu oznaczonego jako NSFW: pokazane.
}
field-remix-of = Remiks zlecenia { $job }
drawn-from-vary = Wariacja na bazie
drawn-from-upscale = Powiększenie z
drawn-from-zoom = Oddalenie z
drawn-from-pan = Rozszerzenie z
drawn-from-image = Narysowane z twojego obrazu
strength = siła { $strength }
source-strength = { $source } (siła { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = nieznany
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Zły język? Wybierz ten, w którym mówiono
translation-unavailable = { $model } nie umie tłumaczyć, a model tłumaczący { $translator } jest niedostępny
translation-invented = tłumaczenie zawierało słowa, których nie ma w nagraniu, więc rysowana jest transkrypcja
plain-text = { $text }

button-reroll = Jeszcze raz
button-edit = Edytuj opis
button-delete = Usuń
button-cancel = Anuluj
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Oddal { $factor }×
button-draw = Narysuj to

form-edit-title = Edytuj opis
form-prompt = Opis
form-negative = Opis negatywny
form-heard = Co usłyszałem (dla info; nieużywane)
field-parameters = Parametry
button-vary-subtle = Wariacja (subtelna)
button-vary-strong = Wariacja (mocna)
button-upscale-subtle = Powiększ (subtelnie)
button-upscale-creative = Powiększ (kreatywnie)
button-zoom-custom = Własny zoom
button-square = Zrób kwadrat
form-remix-title = Remiks
form-zoom-title = Własny zoom
form-zoom-factor = Oddal o (od 1 do 2)
drawn-from-vary-subtle = Subtelna wariacja na bazie
drawn-from-vary-strong = Mocna wariacja na bazie
drawn-from-upscale-subtle = Subtelne powiększenie z
drawn-from-upscale-creative = Kreatywne powiększenie z
drawn-from-square = Kwadrat z
