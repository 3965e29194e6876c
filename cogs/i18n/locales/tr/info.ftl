help = **Sen konuş, ben çizeyim.**
    • `/çiz açıklama:<metin>` — ya da `ses:` ekle (sesli mesaj ya da ses dosyası), söylediğini hangi dilde olursa olsun çizerim (önce İngilizceye çeviririm).
    • Bir sesli mesaja sağ tıkla → *Uygulamalar* → **Sesli mesajdan çiz** ya da **Sesli mesajı yazıya dök** (dil, döküm ve İngilizce çeviri; sonra 🎨 *Bunu çiz* ya da önce ✏️ düzenle).
    • `dil:` hangi dili konuştuğunu söyler (varsayılan: algılanır); sesli bir istekte **Yanlış dil mi?** menüsü seçtiğin dilde tekrar dinler.
    • Seçenekler: `seed` (aynı seed + aynı ayarlar = aynı resim), `yönlendirme` (1–20: açıklamaya ne kadar harfiyen uyulsun), `adım` (fazlası = daha yavaş ve daha ince), `adet` (resim), `negatif` (olmaması gerekenler), `biçim` ya da `oran` (16:9, 2:3…), `model`, `sampler`, `stil` (modelin sunduğu bir görünüm), `hızlı` (birkaç hızlı adım).
    • `resim:` kendi resminden çizer (PNG, JPEG ya da WebP); `güç` 0,05–1 ondan ne kadar uzaklaşılacağını söyler.
    • Ben çizerken mesajda resimlerinin nasıl oluştuğunu görürsün; butonlar, parametreler ve remiks modu aşağıda.
    • 🎙️ Resimlerimden birine sesli mesajla yanıt ver (“şimdi gece olsun”), ben de remiksleyeyim: aynı model, boyut ve seed, yeni açıklama senin sözlerin.
    • Her sonuç algılanan dili, dökümü, çeviriyi, açıklamayı, seed'i, yönlendirmeyi, adımları, boyutu ve modeli gösterir; böylece tekrar üretebilirsin.
    • `/sıra` yerini gösterir; `/durum` neyle çalıştığımı gösterir.

queue-head = Sıra: { $waiting } bekliyor, { $drawing ->
    [0] çizilen yok
   *[other] { $drawing } çiziliyor
}.
queue-drawing-now = şu an çiziliyor
queue-state = { $state ->
    [queued] sırada
    [listening] dinleniyor
    [waiting] bekliyor
   *[other] { $state }
}
queue-listening = (dinliyorum…)
queue-none-yours = Sırada hiç isteğin yok.

status-none-loaded = henüz yüklenmedi
status-models = Whisper: { $speech } · resim modeli: `{ $image }` — { $status }
status-device = Cihaz: { $device }
status-jobs = Tamamlanan istek: { $done }; bekleyen: { $waiting }
status-average-listening = Ortalama dinleme: { NUMBER($seconds, minimumFractionDigits: 1) } sn
status-average-drawing = Ortalama çizim: { NUMBER($seconds, minimumFractionDigits: 1) } sn

settings-title = Bu sunucunun ayarları
settings-saved = Kaydedildi.
settings-not-admin = Ayarlarımı değiştirmek için Sunucuyu Yönet iznine ihtiyacın var.
settings-no-content-intent = Otomatik mod ve döküm kanalları, bu botun istemediği Message Content intent'ine ihtiyaç duyar. Botu çalıştıran kişi Discord Developer Portal'da *Message Content Intent*'i açmalı (Bot → Privileged Gateway Intents), `discord.message_content_intent = true` (ya da `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) ayarlamalı ve botu yeniden başlatmalı. O zamana kadar bir sesli mesajda *Sesli mesajdan çiz* menüsünü kullan.
settings-whisper-model = Whisper modeli
settings-image-model = Resim modeli
settings-voice = Sesli mesajlar
settings-voice-auto = otomatik: { $where }
settings-voice-off = kapalı (bağlam menüsünü kullan)
settings-everywhere = her kanal
settings-transcribed = Sadece yazıya dökülür, çizilmez
settings-nowhere = hiçbir yerde
settings-defaults = Varsayılanlar
settings-defaults-value = yönlendirme { $guidance }, { $steps ->
    [one] { $steps } adım
   *[other] { $steps } adım
}, { $count ->
    [one] { $count } resim
   *[other] { $count } resim
}
settings-per-user = Kişi başı istek
settings-buttons = Butonlar
settings-buttons-requester = sadece isteyen
settings-anyone = herkes
settings-nsfw = NSFW
settings-nsfw-value = işaretli resimler NSFW kanalları dışında { $action ->
    [spoiler] spoiler olarak gönderilir
   *[withhold] gizlenir
}; NSFW kanallarında filtre { $checker ->
    [off] kapalı
   *[on] açık
}
settings-banned = Yasaklı kelimeler
settings-none = yok
settings-language = İstek mesajlarının dili
settings-text-remixes = Yazılı yanıtla remiks
settings-on = açık
settings-off = kapalı
language-auto = otomatik (algıla)
help-buttons-title = Sonuçtaki butonlar
help-buttons = 🎲 yeniden, ✏️ açıklamayı düzenle, 🗑️ sil. Birden çok resimde **V1…** o resmi çeşitler, **U1…** onu iki kat büyük çizer (aynı seed).
    Tek resimde: 🪄 **Çeşitle** (hafif ya da güçlü), ⬆️ **Büyüt** (hafif: daha net, aynı resim; yaratıcı: yeni ayrıntılar), 🔍 2× ya da 1,5× uzaklaştır, **Özel uzaklaştırma** (1 ile 2 arası bir kat ve yeni bir açıklama), ↔️ **Kare yap** (kare değilse) ve ⬅➡⬆⬇ ile o yöne genişlet: pikselleri kalır.
help-parameters-title = Açıklamadaki parametreler
help-parameters = Yazdığın açıklamanın sonuna ekle: `--ar 16:9` biçim, `--no text, people` olmaması gerekenler, `--seed 42`, `--steps 30`, `--chaos 0-100` bir ızgaradaki resimlerin ne kadar farklı olacağı, `--stylize 0-1000` ne kadar serbest çizeceğim (100 normal; daha azı açıklamaya daha sıkı uyar). `seed:` gibi ayarlar bunlardan önce gelir. Sesli söylediklerini asla parametre olarak okumam.
help-remix-title = Remiks modu
help-remix = `/remiks` senin için açar ya da kapatır: bir çeşitleme ya da 🎲 yeniden önce açıklamasını açar, böylece değiştirebilirsin (parametreler de). Bir sunucu bunu `/ayarlar` ile varsayılan yapabilir.
remix-mode-on = 🎛️ Remiks modu **açık**: bir çeşitleme ya da yeniden çizim önce açıklamasını açar, böylece değiştirebilirsin. Tekrar `/remiks` kapatır.
remix-mode-off = Remiks modu **kapalı**: çeşitlemeler ve yeniden çizimler hemen çizilir.
settings-remix-mode = Remiks modu (varsayılan)
settings-previews = Canlı önizleme
