error-generic = Bende bir şeyler ters gitti (kayda geçti). Lütfen tekrar dene.
error-not-here = Bunu burada kullanamazsın.
not-resumable = İsteğin yeniden başlatmadan sonra sürdürülemedi: { $reason }

prompt-empty = Açıklama boş: ne görmek istediğini söyle ya da yaz.
prompt-too-long = Açıklama { $length } karakter; sınır { $limit }.
negative-too-long = Negatif açıklama çok uzun (sınır { $limit } karakter).
prompt-banned = Bu açıklamada burada yasak olan bir kelime var.
bad-model-needs-settings = Model seçimi için resim ayarları gerekiyor.
bad-aspect-or-size = Ya `aspect` ya da `width`/`height` ver, ikisini birden değil.
bad-size-or-aspect = Ya `biçim` ya da `oran` ver, ikisini birden değil.
bad-multiple = `{ $option }` { $multiple } sayısının katı olmalı (gelen: { $value }).
bad-one-of = `{ $option }` şunlardan biri olmalı: { $known } (gelen: { $value }).
bad-not-a-number = `{ $option }` bir sayı olmalı (gelen: { $value }).
bad-out-of-range = `{ $option }` { $low } ile { $high } arasında olmalı (gelen: { $value }).
style-none-configured = `stil`: bu modelin hiç stili yok.
style-unknown = `stil` modelin stillerinden biri olmalı ({ $known }).
style-not-configured = { $style } stili { $model } için ayarlanmamış.
fast-not-configured = { $model } modeli için hızlı mod ayarlanmamış.
aspect-no-side = Sınırlar içindeki hiçbir kenar { $multiple } sayısının katı değil.
settings-out-of-range = Aralık dışında: { $names }.
variation-unknown-kind = Bilinmeyen çeşitleme türü: { $kind_name }.
zoom-factor = 1'den fazla, en çok 2 kat uzaklaştır (gelen: { $value }).
factor-range = `factor` 1'den büyük ve en fazla 4 olmalı (gelen: { $value }).
pan-direction-needed = Genişletmenin bir yönü olmalı (sol, sağ, yukarı, aşağı), ve sadece genişletmenin.
pan-direction-unknown = Sola, sağa, yukarı ya da aşağı genişlet (gelen: { $value }).
strength-needs-image = `güç` ile `resim` birlikte kullanılır: bir resim de ekle.
strength-needs-steps = { $strength } güçte bir resim en az { $steps } adım ister (gelen: { $value }).
no-prompt = Ne çizeyim söyle: bir `açıklama` yaz ya da `ses` ekle.
unknown-language = “{ $language }” dilini bilmiyorum: listeden birini seç.

not-audio = Bu ek ses değil: bir sesli mesaj ya da ses dosyası ekle (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = Bu mesajda ses eki yok: bunu bir sesli mesajda ya da ses dosyasında kullan.
file-too-big = Bu dosya çok büyük ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); sınır { $limit_mib } MiB.
not-a-picture = Bu ek resim değil: PNG, JPEG ya da WebP bir resim ekle.
attachment-picture-too-big = Bu resim çok büyük ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); sınır { $limit_mib } MiB.
audio-file-empty = Bu dosya boş — bir sesli mesaj ya da ses dosyası gönder.
audio-unreadable = Bunu ses olarak okuyamadım — bir sesli mesaj ya da ses dosyası gönder (ogg, mp3, m4a, wav, webm, flac).
audio-silent = Ses boş — içinde hiçbir şey duyamadım.
audio-decode-timeout = Bu sesi çözmek çok uzun sürdü — daha kısa ya da daha basit bir dosya dene.
audio-too-long = Bu ses çok uzun ({ NUMBER($seconds, minimumFractionDigits: 1) } sn); sınır { $limit } sn. Daha kısa bir kayıt gönder.
audio-too-long-unknown = Bu ses çok uzun ({ $limit } sn'den fazla); sınır { $limit } sn. Daha kısa bir kayıt gönder.
recording-too-large = Bu kayıt çok büyük (sınır { $limit_mib } MiB).
no-speech = Bu kayıtta hiç konuşma duymadım. Mikrofona biraz daha yakın konuşarak tekrar dene.
fetch-failed-recording = Kaydını tekrar denememe rağmen Discord'dan indiremedim. Lütfen tekrar gönder.
fetch-failed-picture = Çeşitlenecek resmi tekrar denememe rağmen Discord'dan indiremedim. Lütfen tekrar gönder.

picture-unreadable = Resim okunamadı (dosya bozuk mu?).
picture-too-big = Resim { $limit_mib } MiB'den büyük; daha küçük birini gönder.
picture-too-many-pixels = Resim { $width }×{ $height }: en fazla { $limit } piksel olsun lütfen.
picture-bomb = Resimde çok fazla piksel var.
picture-not-a-picture = Bu bir PNG, JPEG ya da WebP resim değil.
picture-at-max-size = Resim zaten izin verilen en büyük boyutta ({ $max_side } px).
picture-at-max-side = Resim o yönde zaten { $max_side } px.
picture-gone = Bu resim artık bu mesajda değil.
out-of-memory = { $width }x{ $height } boyutunda { $count } resim için yeterli GPU belleği yok; daha az ya da daha küçük iste.
pictures-too-large = Bu resimler göndermek için çok büyük; daha az ya da daha küçük iste.

queue-full = Sıra dolu ({ $count } istek). Birkaç dakika sonra tekrar dene.
user-limit = { $count ->
    [one] Sırada zaten { $count } isteğin var. Bitmesini bekle ya da iptal et.
   *[other] Sırada zaten { $count } isteğin var. Birinin bitmesini bekle ya da birini iptal et.
}
queue-unavailable = İstek sırama şu an ulaşılamıyor, bu yüzden yeni istek alamıyorum. Bir dakika sonra tekrar dene.

job-forgotten = Bu istek artık bende yok, kusura bakma: /çiz ile yenisini başlat.
button-out-of-date = Bu buton eskimiş: daha yeni bir sonuçta kullan.
already-on-it = Zaten üzerindeyim.
requester-only = Bu sunucuda bu butonları sadece { $user } kullanabilir. /çiz ile kendi isteğini başlat.
delete-not-yours = Bu resimleri sadece isteyen kişi (ya da bir moderatör) silebilir.
cancel-not-yours = Bu istek senin değil ya da çoktan bitti.
deleted = Silindi.
cancelled = İptal edildi.
remix-not-yours = Bu sunucuda bu resmi sadece { $user } remiksleyebilir. /çiz ile kendi isteğini başlat.
parameter-unknown = `{ $name }` parametresini bilmiyorum. Anladıklarım: { $known }.
parameter-twice = `{ $name }` iki kez var: bir kez yaz.
parameter-empty = `{ $name }` sonrasında bir değer ister, örneğin `--ar 16:9` ya da `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` bir en-boy oranı değil: 1:4 ile 4:1 arasında genişlik:yükseklik yaz, örneğin `16:9`.
parameter-bad-number = `{ $name }` { $low } ile { $high } arasında bir tam sayı ister (gelen: { $value }).
zoom-custom-factor = 1 ile 2 arasında bir sayı yaz, örneğin 1,5 (gelen: { $value }).
picture-square = Bu resim zaten kare.
sampler-unusable = { $sampler } örnekleyicisi { $model } ({ $family }) ile çalışmaz: { $known } arasından birini seç ya da `sampler` alanını boş bırak.
guidance-ignored = { $model } guidance olmadan çizer: `guidance` alanını boş bırak.
negative-ignored = { $model } ile negatif istem için guidance 1'den büyük olmalı (gelen: { $guidance }): `guidance` değerini artır ya da `negative` alanını boş bırak.
