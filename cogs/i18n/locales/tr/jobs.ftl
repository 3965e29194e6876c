job-saved = 💾 Kaydedildi — yeniden başlıyorum; isteğin ben döner dönmez başlayacak
job-queued = ⏳ Sırada
job-queued-position = ⏳ Sırada — sıra { $position }/{ $length }
job-eta = yaklaşık { $duration }
job-warming-up = 🔥 Isınıyorum: { $what }…
job-listening = 👂 Dinliyorum…
job-drawing = 🎨 Çiziyorum…
job-drawing-step = 🎨 Çiziyorum — adım { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = { $duration } kaldı
job-done = ✅ Bitti
job-transcribed = 📝 Yazıya döküldü
job-cancelled = 🚫 İptal edildi
job-failed = ❌ { $error }
job-failed-plain = ❌ Başarısız
job-footer = istek { $job } · { $user }
job-lost = ❌ İsteğini kaydetmeden önce yeniden başladım, kusura bakma. Lütfen tekrar gönder.
job-here = işte isteğin:
duration-seconds = { $seconds } sn
duration-minutes = { $minutes } dk { $seconds } sn

field-heard = Duyulan ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Duyulan ({ $language }, { NUMBER($probability, style: "percent") }, emin değilim: yanlış dil mi? aşağıdan seç)
field-translation = Çeviri
field-no-translation = Çeviri yok
field-prompt-cut = Açıklama kısaltıldı
field-prompt-cut-value = Söylediğin, bir açıklamanın olabileceğinden uzun: ilk kısmını çizdim.
field-negative = Negatif
field-seed = Seed
field-guidance = Yönlendirme
field-steps = Adım
field-size = Boyut
field-images = Resim
field-model = Model
model-fast = { $model } · hızlı
field-sampler = Sampler
field-style = Stil
field-safety = Güvenlik filtresi
safety-withheld = { $count ->
    [one] { $count } resim NSFW olarak işaretlendi: gizlendi.
   *[other] { $count } resim NSFW olarak işaretlendi: gizlendi.
}
safety-spoilered = { $count ->
    [one] { $count } resim NSFW olarak işaretlendi: spoiler olarak gönderildi.
   *[other] { $count } resim NSFW olarak işaretlendi: spoiler olarak gönderildi.
}
safety-shown = { $count ->
    [one] { $count } resim NSFW olarak işaretlendi: gösterildi.
   *[other] { $count } resim NSFW olarak işaretlendi: gösterildi.
}
field-remix-of = { $job } isteğinin remiksi
drawn-from-vary = Çeşitleme kaynağı
drawn-from-upscale = Büyütme kaynağı
drawn-from-zoom = Uzaklaştırma kaynağı
drawn-from-pan = Genişletme kaynağı
drawn-from-image = Senin resminden çizildi
strength = güç { $strength }
source-strength = { $source } (güç { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = bilinmiyor
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Yanlış dil mi? Konuşulanı seç
translation-unavailable = { $model } çeviri yapamıyor ve çeviri modeli { $translator } kullanılamıyor
translation-invented = çeviride seste olmayan sözcükler vardı, bu yüzden döküm çiziliyor
plain-text = { $text }

button-reroll = Yeniden
button-edit = Açıklamayı düzenle
button-delete = Sil
button-cancel = İptal
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = { $factor }× uzaklaştır
button-draw = Bunu çiz

form-edit-title = Açıklamayı düzenle
form-prompt = Açıklama
form-negative = Negatif açıklama
form-heard = Duyulan (bilgi için; kullanılmaz)
field-parameters = Parametreler
button-vary-subtle = Çeşitle (hafif)
button-vary-strong = Çeşitle (güçlü)
button-upscale-subtle = Büyüt (hafif)
button-upscale-creative = Büyüt (yaratıcı)
button-zoom-custom = Özel uzaklaştırma
button-square = Kare yap
form-remix-title = Remiks
form-zoom-title = Özel uzaklaştırma
form-zoom-factor = Uzaklaştırma (1 ile 2 arası)
drawn-from-vary-subtle = Hafif çeşitleme kaynağı
drawn-from-vary-strong = Güçlü çeşitleme kaynağı
drawn-from-upscale-subtle = Hafif büyütme kaynağı
drawn-from-upscale-creative = Yaratıcı büyütme kaynağı
drawn-from-square = Kare yapma kaynağı
