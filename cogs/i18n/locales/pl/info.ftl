help = **Mów, a ja narysuję.**
    • `/wyobraź opis:<tekst>` — albo dołącz `audio:` (wiadomość głosową lub plik audio), a narysuję to, co mówisz, w dowolnym języku (najpierw tłumaczę to na angielski).
    • Prawy klik na wiadomości głosowej → *Aplikacje* → **Wyobraź z wiadomości głosowej** albo **Transkrybuj wiadomość głosową** (język, transkrypcja i tłumaczenie na angielski; potem 🎨 *Narysuj to* albo najpierw ✏️ edytuj).
    • `język:` mówi, w jakim języku mówisz (domyślnie: wykryty); przy zleceniu głosowym menu **Zły język?** słucha jeszcze raz w wybranym języku.
    • Opcje: `seed` (ten sam seed + te same opcje = ten sam obraz), `wierność` (1–20: jak dosłownie trzymać się opisu), `kroki` (więcej = wolniej i dokładniej), `liczba` (obrazów), `negatyw` (czego ma nie być), `format` albo `proporcje` (16:9, 2:3…), `model`, `sampler`, `styl` (wygląd, który oferuje model), `szybko` (kilka szybkich kroków).
    • `obraz:` rysuje na bazie twojego obrazu (PNG, JPEG lub WebP); `siła` 0,05–1 mówi, jak daleko od niego odejść.
    • Gdy rysuję, wiadomość pokazuje, jak powstają twoje obrazy; przyciski, parametry i tryb remiksu są niżej.
    • 🎙️ Odpowiedz na jeden z moich obrazów wiadomością głosową („teraz nocą”), a go zremiksuję: ten sam model, rozmiar i seed, twoje słowa jako nowy opis.
    • Każdy wynik pokazuje wykryty język, transkrypcję, tłumaczenie, opis, seed, wierność, kroki, rozmiar i model, żebyś mógł go powtórzyć.
    • `/kolejka` pokazuje twoje miejsce; `/status` pokazuje, na czym działam.

queue-head = Kolejka: { $waiting } czeka, { $drawing ->
    [0] nic się nie rysuje
   *[other] { $drawing } w trakcie rysowania
}.
queue-drawing-now = rysuje się teraz
queue-state = { $state ->
    [queued] w kolejce
    [listening] słucham
    [waiting] czeka
   *[other] { $state }
}
queue-listening = (słucham…)
queue-none-yours = Nie masz żadnych zleceń w kolejce.

status-none-loaded = jeszcze nic nie wczytano
status-models = Whisper: { $speech } · model obrazu: `{ $image }` — { $status }
status-device = Urządzenie: { $device }
status-jobs = Wykonane zlecenia: { $done }; czeka: { $waiting }
status-average-listening = Średnie słuchanie: { NUMBER($seconds, minimumFractionDigits: 1) } s
status-average-drawing = Średnie rysowanie: { NUMBER($seconds, minimumFractionDigits: 1) } s

settings-title = Ustawienia tego serwera
settings-saved = Zapisane.
settings-not-admin = Potrzebujesz uprawnienia Zarządzanie serwerem, żeby zmieniać moje ustawienia.
settings-no-content-intent = Tryb automatyczny i kanały transkrypcji wymagają intentu Message Content, o który ten bot nie prosi. Osoba prowadząca bota musi włączyć *Message Content Intent* w Discord Developer Portal (Bot → Privileged Gateway Intents), ustawić `discord.message_content_intent = true` (lub `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) i go zrestartować. Do tego czasu użyj menu *Wyobraź z wiadomości głosowej* na wiadomości głosowej.
settings-whisper-model = Model Whisper
settings-image-model = Model obrazu
settings-voice = Wiadomości głosowe
settings-voice-auto = automatycznie w { $where }
settings-voice-off = wyłączone (użyj menu kontekstowego)
settings-everywhere = każdym kanale
settings-transcribed = Tylko transkrypcja, bez rysowania
settings-nowhere = nigdzie
settings-defaults = Domyślne
settings-defaults-value = wierność { $guidance }, { $steps ->
    [one] { $steps } krok
    [few] { $steps } kroki
    [many] { $steps } kroków
   *[other] { $steps } kroku
}, { $count ->
    [one] { $count } obraz
    [few] { $count } obrazy
    [many] { $count } obrazów
   *[other] { $count } obrazu
}
settings-per-user = Zlecenia na osobę
settings-buttons = Przyciski
settings-buttons-requester = tylko zamawiający
settings-anyone = każdy
settings-nsfw = NSFW
settings-nsfw-value = oznaczone obrazy poza kanałami NSFW { $action ->
    [spoiler] wysyłane jako spoilery
   *[withhold] wstrzymywane
}; filtr na kanałach NSFW { $checker ->
    [off] wyłączony
   *[on] włączony
}
settings-banned = Zakazane słowa
settings-none = brak
settings-language = Język wiadomości ze zleceniami
settings-text-remixes = Remiks pisaną odpowiedzią
settings-on = włączone
settings-off = wyłączone
language-auto = auto (wykryj)
help-buttons-title = Przyciski pod wynikiem
help-buttons = 🎲 jeszcze raz, ✏️ edytuj opis, 🗑️ usuń. Przy kilku obrazach **V1…** robi wariację tego obrazu, a **U1…** rysuje go w podwójnym rozmiarze (ten sam seed).
    Przy pojedynczym obrazie: 🪄 **Wariacja** (subtelna lub mocna), ⬆️ **Powiększ** (subtelnie: ostrzej, ten sam obraz; kreatywnie: nowe szczegóły), 🔍 oddal 2× lub 1,5×, **Własny zoom** (współczynnik od 1 do 2 i nowy opis), ↔️ **Zrób kwadrat** (gdy nim nie jest) i ⬅➡⬆⬇, żeby go rozszerzyć w tę stronę: jego piksele zostają.
help-parameters-title = Parametry w opisie
help-parameters = Dopisz je na końcu wpisanego opisu: `--ar 16:9` proporcje, `--no text, people` czego ma nie być, `--seed 42`, `--steps 30`, `--chaos 0-100` jak różne są obrazy w siatce, `--stylize 0-1000` jak swobodnie rysuję (100 to normalnie; mniej trzyma się opisu ściślej). Opcje takie jak `seed:` mają pierwszeństwo. Tego, co mówisz na głos, nigdy nie czytam jako parametrów.
help-remix-title = Tryb remiksu
help-remix = `/remiks` włącza go albo wyłącza dla ciebie: wariacja albo 🎲 jeszcze raz najpierw otwiera opis, żebyś mógł go zmienić (parametry też). Serwer może ustawić go jako domyślny w `/ustawienia`.
remix-mode-on = 🎛️ Tryb remiksu jest **włączony**: wariacja albo „jeszcze raz” najpierw otwiera opis, żebyś mógł go zmienić. Ponowne `/remiks` go wyłącza.
remix-mode-off = Tryb remiksu jest **wyłączony**: wariacje i „jeszcze raz” rysują się od razu.
settings-remix-mode = Tryb remiksu (domyślnie)
settings-previews = Podgląd na żywo
