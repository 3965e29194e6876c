error-generic = Bei mir ist etwas schiefgelaufen (ist protokolliert). Versuch es bitte noch mal.
error-not-here = Das kannst du hier nicht benutzen.
not-resumable = Dein Auftrag konnte nach einem Neustart nicht fortgesetzt werden: { $reason }

prompt-empty = Die Beschreibung ist leer: Sag oder tipp, was du sehen willst.
prompt-too-long = Die Beschreibung ist { $length } Zeichen lang; erlaubt sind { $limit }.
negative-too-long = Die negative Beschreibung ist zu lang (höchstens { $limit } Zeichen).
prompt-banned = Diese Beschreibung enthält ein Wort, das hier nicht erlaubt ist.
bad-model-needs-settings = Für die Modellwahl fehlen die Bildeinstellungen.
bad-aspect-or-size = Gib entweder `aspect` oder `width`/`height` an, nicht beides.
bad-size-or-aspect = Gib entweder `format` oder `seitenverhältnis` an, nicht beides.
bad-multiple = `{ $option }` muss ein Vielfaches von { $multiple } sein (bekommen: { $value }).
bad-one-of = `{ $option }` muss eins davon sein: { $known } (bekommen: { $value }).
bad-not-a-number = `{ $option }` muss eine Zahl sein (bekommen: { $value }).
bad-out-of-range = `{ $option }` muss zwischen { $low } und { $high } liegen (bekommen: { $value }).
style-none-configured = `stil`: Dieses Modell hat keine Stile.
style-unknown = `stil` muss einer der Stile des Modells sein ({ $known }).
style-not-configured = Der Stil { $style } ist für { $model } nicht eingerichtet.
fast-not-configured = Für das Modell { $model } gibt es keinen Schnellmodus.
aspect-no-side = Keine Seitenlänge innerhalb der Grenzen ist ein Vielfaches von { $multiple }.
settings-out-of-range = Außerhalb des erlaubten Bereichs: { $names }.
variation-unknown-kind = Unbekannte Art von Variation: { $kind_name }.
zoom-factor = Rauszoomen geht um mehr als 1 bis höchstens 2 (bekommen: { $value }).
factor-range = `factor` muss über 1 und höchstens 4 sein (bekommen: { $value }).
pan-direction-needed = Ein Schwenk braucht eine Richtung (links, rechts, oben, unten), und nur ein Schwenk.
pan-direction-unknown = Schwenk nach links, rechts, oben oder unten (bekommen: { $value }).
strength-needs-image = `stärke` gehört zu `bild`: Häng auch ein Bild an.
strength-needs-steps = Bei Stärke { $strength } braucht ein Bild mindestens { $steps } Schritte (bekommen: { $value }).
no-prompt = Sag mir, was ich malen soll: Tipp eine `beschreibung` oder häng `audio` an.
unknown-language = Die Sprache „{ $language }“ kenne ich nicht: Wähl eine aus der Liste.

not-audio = Dieser Anhang ist kein Audio: Häng eine Sprachnachricht oder Audiodatei an (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = Diese Nachricht hat keinen Audio-Anhang: Benutz das bei einer Sprachnachricht oder Audiodatei.
file-too-big = Die Datei ist zu groß ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); erlaubt sind { $limit_mib } MiB.
not-a-picture = Dieser Anhang ist kein Bild: Häng ein PNG-, JPEG- oder WebP-Bild an.
attachment-picture-too-big = Das Bild ist zu groß ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); erlaubt sind { $limit_mib } MiB.
audio-file-empty = Die Datei ist leer — schick eine Sprachnachricht oder Audiodatei.
audio-unreadable = Das konnte ich nicht als Audio lesen — schick eine Sprachnachricht oder Audiodatei (ogg, mp3, m4a, wav, webm, flac).
audio-silent = Das Audio ist leer — ich konnte nichts darin hören.
audio-decode-timeout = Das Audio zu lesen hat zu lange gedauert — versuch eine kürzere oder einfachere Datei.
audio-too-long = Das Audio ist zu lang ({ NUMBER($seconds, minimumFractionDigits: 1) } s); erlaubt sind { $limit } s. Schick einen kürzeren Clip.
audio-too-long-unknown = Das Audio ist zu lang (mehr als { $limit } s); erlaubt sind { $limit } s. Schick einen kürzeren Clip.
recording-too-large = Die Aufnahme ist zu groß (erlaubt sind { $limit_mib } MiB).
no-speech = Ich habe in der Aufnahme keine Sprache gehört. Versuch es noch mal, etwas näher am Mikro.
fetch-failed-recording = Ich konnte deine Aufnahme auch nach mehreren Versuchen nicht von Discord laden. Schick sie bitte noch mal.
fetch-failed-picture = Ich konnte das Bild für die Variation auch nach mehreren Versuchen nicht von Discord laden. Schick es bitte noch mal.

picture-unreadable = Das Bild ließ sich nicht lesen (beschädigte Datei?).
picture-too-big = Das Bild ist größer als { $limit_mib } MiB; schick ein kleineres.
picture-too-many-pixels = Das Bild ist { $width }×{ $height }: höchstens { $limit } Pixel, bitte.
picture-bomb = Das Bild hat zu viele Pixel.
picture-not-a-picture = Das ist kein PNG-, JPEG- oder WebP-Bild.
picture-at-max-size = Das Bild ist schon so groß wie erlaubt ({ $max_side } px).
picture-at-max-side = Das Bild ist in diese Richtung schon { $max_side } px groß.
picture-gone = Dieses Bild ist nicht mehr an der Nachricht.
out-of-memory = Nicht genug GPU-Speicher für { $count } Bilder in { $width }x{ $height }; versuch weniger oder kleinere.
pictures-too-large = Die Bilder sind zu groß zum Senden; bitte um weniger oder kleinere.

queue-full = Die Warteschlange ist voll ({ $count } Aufträge). Versuch es bitte in ein paar Minuten noch mal.
user-limit = { $count ->
    [one] Du hast schon { $count } Auftrag in der Warteschlange. Warte, bis er fertig ist, oder brich ihn ab.
   *[other] Du hast schon { $count } Aufträge in der Warteschlange. Warte, bis einer fertig ist, oder brich einen ab.
}
queue-unavailable = Meine Auftragswarteschlange ist gerade nicht erreichbar, daher nehme ich keine neuen Anfragen an. Versuch es bitte in einer Minute noch mal.

job-forgotten = Diesen Auftrag habe ich nicht mehr, sorry: Starte einen neuen mit /malen.
button-out-of-date = Dieser Knopf ist veraltet: Benutz ihn bei einem neueren Ergebnis.
already-on-it = Bin schon dabei.
requester-only = Auf diesem Server kann nur { $user } diese Knöpfe benutzen. Starte deinen eigenen Auftrag mit /malen.
delete-not-yours = Nur wer die Bilder bestellt hat (oder ein Mod) kann sie löschen.
cancel-not-yours = Dieser Auftrag gehört dir nicht oder ist schon fertig.
deleted = Gelöscht.
cancelled = Abgebrochen.
remix-not-yours = Auf diesem Server kann nur { $user } dieses Bild remixen. Starte deinen eigenen Auftrag mit /malen.
parameter-unknown = Den Parameter `{ $name }` kenne ich nicht. Ich verstehe { $known }.
parameter-twice = `{ $name }` steht zweimal da: bitte nur einmal angeben.
parameter-empty = `{ $name }` braucht danach einen Wert, z. B. `--ar 16:9` oder `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` ist kein Seitenverhältnis: nimm Breite:Höhe von 1:4 bis 4:1, z. B. `16:9`.
parameter-bad-number = `{ $name }` braucht eine ganze Zahl von { $low } bis { $high } (bekommen: { $value }).
zoom-custom-factor = Gib eine Zahl von 1 bis 2 an, z. B. 1,5 (bekommen: { $value }).
picture-square = Das Bild ist schon quadratisch.
sampler-unusable = Der Sampler { $sampler } funktioniert nicht mit { $model } ({ $family }): wähle einen von { $known } oder lass `sampler` leer.
guidance-ignored = { $model } zeichnet ohne Guidance: lass `guidance` leer.
negative-ignored = Ein negativer Prompt braucht mit { $model } eine Guidance über 1 (bekommen: { $guidance }): erhöhe `guidance` oder lass `negative` leer.
