error-generic = Qualcosa è andato storto da parte mia (è registrato nei log). Riprova, per favore.
error-not-here = Qui non puoi usarlo.
not-resumable = La tua richiesta non è ripartita dopo un riavvio: { $reason }

prompt-empty = La descrizione è vuota: di' o scrivi cosa vuoi vedere.
prompt-too-long = La descrizione è lunga { $length } caratteri; il limite è { $limit }.
negative-too-long = La descrizione negativa è troppo lunga (limite { $limit } caratteri).
prompt-banned = Quella descrizione usa una parola che qui non è permessa.
bad-model-needs-settings = Per scegliere il modello servono le impostazioni delle immagini.
bad-aspect-or-size = Indica `aspect` oppure `width`/`height`, non entrambi.
bad-size-or-aspect = Indica `formato` oppure `proporzioni`, non entrambi.
bad-multiple = `{ $option }` deve essere un multiplo di { $multiple } (ricevuto { $value }).
bad-one-of = `{ $option }` deve essere uno tra { $known } (ricevuto { $value }).
bad-not-a-number = `{ $option }` deve essere un numero (ricevuto { $value }).
bad-out-of-range = `{ $option }` deve essere tra { $low } e { $high } (ricevuto { $value }).
style-none-configured = `stile`: questo modello non ha stili.
style-unknown = `stile` deve essere uno degli stili del modello ({ $known }).
style-not-configured = Lo stile { $style } non è configurato per { $model }.
fast-not-configured = Nessuna modalità veloce configurata per il modello { $model }.
aspect-no-side = Nessun lato entro i limiti è un multiplo di { $multiple }.
settings-out-of-range = Fuori intervallo: { $names }.
variation-unknown-kind = Tipo di variazione sconosciuto: { $kind_name }.
zoom-factor = Lo zoom indietro va da più di 1 fino a 2 (ricevuto { $value }).
factor-range = `factor` deve essere maggiore di 1 e al massimo 4 (ricevuto { $value }).
pan-direction-needed = Un'estensione ha bisogno di una direzione (sinistra, destra, su, giù), e solo un'estensione.
pan-direction-unknown = Estendi a sinistra, destra, su o giù (ricevuto { $value }).
strength-needs-image = `intensità` va con `immagine`: allega anche un'immagine.
strength-needs-steps = Con intensità { $strength } un'immagine richiede almeno { $steps } passi (ricevuto { $value }).
no-prompt = Dimmi cosa disegnare: scrivi una `descrizione` o allega un `audio`.
unknown-language = Non conosco la lingua «{ $language }»: scegline una dall'elenco.

not-audio = Quell'allegato non è un audio: allega un messaggio vocale o un file audio (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = Quel messaggio non ha allegati audio: usalo su un messaggio vocale o un file audio.
file-too-big = Quel file è troppo grande ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); il limite è { $limit_mib } MiB.
not-a-picture = Quell'allegato non è un'immagine: allega un'immagine PNG, JPEG o WebP.
attachment-picture-too-big = Quell'immagine è troppo grande ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); il limite è { $limit_mib } MiB.
audio-file-empty = Quel file è vuoto — manda un messaggio vocale o un file audio.
audio-unreadable = Non riesco a leggerlo come audio — manda un messaggio vocale o un file audio (ogg, mp3, m4a, wav, webm, flac).
audio-silent = L'audio è vuoto — non ci ho sentito niente.
audio-decode-timeout = Decodificare quell'audio ha richiesto troppo tempo — prova un file più corto o più semplice.
audio-too-long = Quell'audio è troppo lungo ({ NUMBER($seconds, minimumFractionDigits: 1) } s); il limite è { $limit } s. Manda una clip più corta.
audio-too-long-unknown = Quell'audio è troppo lungo (più di { $limit } s); il limite è { $limit } s. Manda una clip più corta.
recording-too-large = Quella registrazione è troppo grande (il limite è { $limit_mib } MiB).
no-speech = Non ho sentito nessuna voce in quella registrazione. Riprova parlando un po' più vicino al microfono.
fetch-failed-recording = Non sono riuscito a scaricare la tua registrazione da Discord, nemmeno riprovando. Rimandala, per favore.
fetch-failed-picture = Non sono riuscito a scaricare da Discord l'immagine da variare, nemmeno riprovando. Rimandala, per favore.

picture-unreadable = Non riesco a leggere l'immagine (file danneggiato?).
picture-too-big = L'immagine supera { $limit_mib } MiB; mandane una più piccola.
picture-too-many-pixels = L'immagine è { $width }×{ $height }: al massimo { $limit } pixel, per favore.
picture-bomb = L'immagine ha troppi pixel.
picture-not-a-picture = Non è un'immagine PNG, JPEG o WebP.
picture-at-max-size = L'immagine è già grande quanto consentito ({ $max_side } px).
picture-at-max-side = L'immagine è già di { $max_side } px in quella direzione.
picture-gone = Quell'immagine non è più su questo messaggio.
out-of-memory = Memoria GPU insufficiente per { $count } immagini a { $width }x{ $height }; chiedine meno o più piccole.
pictures-too-large = Quelle immagini sono troppo pesanti da inviare; chiedine meno o più piccole.

queue-full = La coda è piena ({ $count } richieste). Riprova tra qualche minuto.
user-limit = { $count ->
    [one] Hai già { $count } richiesta in coda. Aspetta che finisca o annullala.
    [many] Hai già { $count } richieste in coda. Aspetta che ne finisca una o annullane una.
   *[other] Hai già { $count } richieste in coda. Aspetta che ne finisca una o annullane una.
}
queue-unavailable = La mia coda di richieste non è raggiungibile al momento, quindi non posso accettarne di nuove. Riprova tra un minuto.

job-forgotten = Non ho più quella richiesta, scusa: avviane una nuova con /immagina.
button-out-of-date = Quel pulsante è superato: usalo su un risultato più recente.
already-on-it = Ci sto già lavorando.
requester-only = Su questo server solo { $user } può usare questi pulsanti. Avvia la tua con /immagina.
delete-not-yours = Solo chi ha chiesto queste immagini (o un moderatore) può eliminarle.
cancel-not-yours = Quella richiesta non è tua, oppure è già finita.
deleted = Eliminato.
cancelled = Annullato.
remix-not-yours = Su questo server solo { $user } può remixare quell'immagine. Avvia la tua con /immagina.
parameter-unknown = Non conosco il parametro `{ $name }`. Capisco { $known }.
parameter-twice = `{ $name }` c'è due volte: mettilo una volta sola.
parameter-empty = `{ $name }` vuole un valore dopo, come `--ar 16:9` o `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` non è un formato: usa larghezza:altezza da 1:4 a 4:1, come `16:9`.
parameter-bad-number = `{ $name }` vuole un numero intero da { $low } a { $high } (ricevuto { $value }).
zoom-custom-factor = Scrivi un numero da 1 a 2, come 1,5 (ricevuto { $value }).
picture-square = Quell'immagine è già quadrata.
sampler-unusable = Il sampler { $sampler } non funziona con { $model } ({ $family }): scegline uno tra { $known } o lascia vuoto `sampler`.
guidance-ignored = { $model } disegna senza guidance: lascia vuoto `guidance`.
negative-ignored = Un prompt negativo richiede una guidance superiore a 1 con { $model } (ricevuto { $guidance }): aumenta `guidance` o lascia vuoto `negative`.
