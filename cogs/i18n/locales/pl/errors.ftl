error-generic = Coś poszło nie tak po mojej stronie (jest w logach). Spróbuj jeszcze raz.
error-not-here = Nie możesz tego tu użyć.
not-resumable = Nie udało się wznowić twojego zlecenia po restarcie: { $reason }

prompt-empty = Opis jest pusty: powiedz albo napisz, co chcesz zobaczyć.
prompt-too-long = Opis ma { $length } znaków; limit to { $limit }.
negative-too-long = Opis negatywny jest za długi (limit: { $limit } znaków).
prompt-banned = Ten opis zawiera słowo, które jest tu zakazane.
bad-model-needs-settings = Wybór modelu wymaga ustawień obrazu.
bad-aspect-or-size = Podaj `aspect` albo `width`/`height`, nie oba naraz.
bad-size-or-aspect = Podaj `format` albo `proporcje`, nie oba naraz.
bad-multiple = `{ $option }` musi być wielokrotnością { $multiple } (podano: { $value }).
bad-one-of = `{ $option }` musi być jednym z: { $known } (podano: { $value }).
bad-not-a-number = `{ $option }` musi być liczbą (podano: { $value }).
bad-out-of-range = `{ $option }` musi być między { $low } a { $high } (podano: { $value }).
style-none-configured = `styl`: ten model nie ma stylów.
style-unknown = `styl` musi być jednym ze stylów modelu ({ $known }).
style-not-configured = Styl { $style } nie jest skonfigurowany dla { $model }.
fast-not-configured = Model { $model } nie ma skonfigurowanego trybu szybkiego.
aspect-no-side = Żaden bok w granicach nie jest wielokrotnością { $multiple }.
settings-out-of-range = Poza zakresem: { $names }.
variation-unknown-kind = Nieznany rodzaj wariacji: { $kind_name }.
zoom-factor = Oddalić można o więcej niż 1 i najwyżej 2 razy (podano: { $value }).
factor-range = `factor` musi być większy niż 1 i najwyżej 4 (podano: { $value }).
pan-direction-needed = Rozszerzenie potrzebuje kierunku (lewo, prawo, góra, dół), i tylko rozszerzenie.
pan-direction-unknown = Rozszerz w lewo, w prawo, w górę albo w dół (podano: { $value }).
strength-needs-image = `siła` idzie w parze z `obraz`: dołącz też obraz.
strength-needs-steps = Przy sile { $strength } obraz potrzebuje co najmniej { $steps } kroków (podano: { $value }).
no-prompt = Powiedz, co narysować: wpisz `opis` albo dołącz `audio`.
unknown-language = Nie znam języka „{ $language }”: wybierz któryś z listy.

not-audio = Ten załącznik to nie audio: dołącz wiadomość głosową lub plik audio (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = Ta wiadomość nie ma załącznika audio: użyj tego na wiadomości głosowej albo pliku audio.
file-too-big = Ten plik jest za duży ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); limit to { $limit_mib } MiB.
not-a-picture = Ten załącznik to nie obraz: dołącz obraz PNG, JPEG lub WebP.
attachment-picture-too-big = Ten obraz jest za duży ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); limit to { $limit_mib } MiB.
audio-file-empty = Ten plik jest pusty — wyślij wiadomość głosową albo plik audio.
audio-unreadable = Nie umiem odczytać tego jako audio — wyślij wiadomość głosową albo plik audio (ogg, mp3, m4a, wav, webm, flac).
audio-silent = Audio jest puste — nic w nim nie słyszę.
audio-decode-timeout = Dekodowanie tego audio trwało za długo — spróbuj krótszego albo prostszego pliku.
audio-too-long = To audio jest za długie ({ NUMBER($seconds, minimumFractionDigits: 1) } s); limit to { $limit } s. Wyślij krótszy klip.
audio-too-long-unknown = To audio jest za długie (ponad { $limit } s); limit to { $limit } s. Wyślij krótszy klip.
recording-too-large = To nagranie jest za duże (limit to { $limit_mib } MiB).
no-speech = Nie usłyszałem w tym nagraniu żadnej mowy. Spróbuj jeszcze raz, mówiąc trochę bliżej mikrofonu.
fetch-failed-recording = Nie udało mi się pobrać twojego nagrania z Discorda, nawet po ponownych próbach. Wyślij je jeszcze raz.
fetch-failed-picture = Nie udało mi się pobrać z Discorda obrazu do wariacji, nawet po ponownych próbach. Wyślij go jeszcze raz.

picture-unreadable = Nie da się odczytać obrazu (uszkodzony plik?).
picture-too-big = Obraz ma ponad { $limit_mib } MiB; wyślij mniejszy.
picture-too-many-pixels = Obraz ma { $width }×{ $height }: najwyżej { $limit } pikseli, proszę.
picture-bomb = Obraz ma za dużo pikseli.
picture-not-a-picture = To nie jest obraz PNG, JPEG ani WebP.
picture-at-max-size = Obraz jest już tak duży, jak się da ({ $max_side } px).
picture-at-max-side = Obraz ma już { $max_side } px w tę stronę.
picture-gone = Tego obrazu nie ma już w tej wiadomości.
out-of-memory = Za mało pamięci GPU na { $count } obrazy { $width }x{ $height }; poproś o mniej albo mniejsze.
pictures-too-large = Te obrazy są za duże, żeby je wysłać; poproś o mniej albo mniejsze.

queue-full = Kolejka jest pełna ({ $count } zleceń). Spróbuj za kilka minut.
user-limit = { $count ->
    [one] Masz już { $count } zlecenie w kolejce. Poczekaj, aż się skończy, albo je anuluj.
    [few] Masz już { $count } zlecenia w kolejce. Poczekaj, aż któreś się skończy, albo jedno anuluj.
    [many] Masz już { $count } zleceń w kolejce. Poczekaj, aż któreś się skończy, albo jedno anuluj.
   *[other] Masz już { $count } zlecenia w kolejce. Poczekaj, aż któreś się skończy, albo jedno anuluj.
}
queue-unavailable = Moja kolejka zleceń jest teraz nieosiągalna, więc nie przyjmuję nowych próśb. Spróbuj za minutę.

job-forgotten = Nie mam już tego zlecenia, sorry: zacznij nowe przez /wyobraź.
button-out-of-date = Ten przycisk jest nieaktualny: użyj go na nowszym wyniku.
already-on-it = Już się robi.
requester-only = Na tym serwerze tylko { $user } może używać tych przycisków. Zacznij własne przez /wyobraź.
delete-not-yours = Tylko osoba, która zamówiła te obrazy (albo moderator), może je usunąć.
cancel-not-yours = To zlecenie nie jest twoje albo już się skończyło.
deleted = Usunięte.
cancelled = Anulowane.
remix-not-yours = Na tym serwerze tylko { $user } może remiksować ten obraz. Zacznij własne przez /wyobraź.
parameter-unknown = Nie znam parametru `{ $name }`. Rozumiem { $known }.
parameter-twice = `{ $name }` jest tu dwa razy: podaj go raz.
parameter-empty = Po `{ $name }` musi być wartość, np. `--ar 16:9` albo `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` to nie proporcje: użyj szerokość:wysokość od 1:4 do 4:1, np. `16:9`.
parameter-bad-number = `{ $name }` przyjmuje liczbę całkowitą od { $low } do { $high } (podano: { $value }).
zoom-custom-factor = Podaj liczbę od 1 do 2, np. 1,5 (podano: { $value }).
picture-square = Ten obraz jest już kwadratowy.
sampler-unusable = Sampler { $sampler } nie działa z { $model } ({ $family }): wybierz jeden z { $known } albo zostaw `sampler` pusty.
guidance-ignored = { $model } rysuje bez guidance: zostaw `guidance` puste.
negative-ignored = Negatywny prompt wymaga z { $model } guidance powyżej 1 (podano: { $guidance }): zwiększ `guidance` albo zostaw `negative` puste.
