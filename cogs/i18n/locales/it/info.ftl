help = **Parla, e io disegno.**
    • `/immagina descrizione:<testo>` — oppure allega `audio:` (un messaggio vocale o un file audio) e disegno quello che dici, in qualsiasi lingua (prima lo traduco in inglese).
    • Clic destro su un messaggio vocale → *App* → **Immagina dal messaggio vocale** o **Trascrivi messaggio vocale** (lingua, trascrizione e traduzione in inglese; poi 🎨 *Disegnalo* o ✏️ modificalo prima).
    • `lingua:` dice che lingua parli (predefinito: rilevata); su una richiesta vocale, il menu **Lingua sbagliata?** riascolta nella lingua che scegli.
    • Opzioni: `seed` (stesso seed + stesse opzioni = stessa immagine), `guida` (1–20: quanto seguire alla lettera la descrizione), `passi` (di più = più lento e più fine), `quantità` (immagini), `negativo` (cosa lasciare fuori), `formato` o `proporzioni` (16:9, 2:3…), `modello`, `sampler`, `stile` (un look offerto dal modello), `veloce` (pochi passi rapidi).
    • `immagine:` disegna dalla tua immagine (PNG, JPEG o WebP); `intensità` 0,05–1 dice quanto allontanarsene.
    • Mentre disegno, il messaggio mostra le tue immagini che prendono forma; pulsanti, parametri e modalità Remix sono qui sotto.
    • 🎙️ Rispondi a una delle mie immagini con un messaggio vocale («ora di notte») e la remixo: stesso modello, stessa dimensione e stesso seed, le tue parole come nuova descrizione.
    • Ogni risultato mostra lingua rilevata, trascrizione, traduzione, descrizione, seed, guida, passi, dimensione e modello, così puoi rifarlo.
    • `/coda` mostra il tuo posto; `/stato` mostra su cosa sto girando.

queue-head = Coda: { $waiting } in attesa, { $drawing ->
    [0] nessuna in disegno
   *[other] { $drawing } in disegno
}.
queue-drawing-now = in disegno ora
queue-state = { $state ->
    [queued] in coda
    [listening] in ascolto
    [waiting] in attesa
   *[other] { $state }
}
queue-listening = (ascolto…)
queue-none-yours = Non hai richieste in coda.

status-none-loaded = nessuno caricato per ora
status-models = Whisper: { $speech } · modello di immagine: `{ $image }` — { $status }
status-device = Dispositivo: { $device }
status-jobs = Richieste completate: { $done }; in attesa: { $waiting }
status-average-listening = Ascolto medio: { NUMBER($seconds, minimumFractionDigits: 1) } s
status-average-drawing = Disegno medio: { NUMBER($seconds, minimumFractionDigits: 1) } s

settings-title = Impostazioni di questo server
settings-saved = Salvato.
settings-not-admin = Ti serve il permesso Gestisci server per cambiare le mie impostazioni.
settings-no-content-intent = La modalità automatica e i canali di trascrizione richiedono l'intent Message Content, che questo bot non chiede. Chi gestisce il bot deve attivare *Message Content Intent* nel Discord Developer Portal (Bot → Privileged Gateway Intents), impostare `discord.message_content_intent = true` (o `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) e riavviarlo. Nel frattempo usa il menu *Immagina dal messaggio vocale* su un messaggio vocale.
settings-whisper-model = Modello Whisper
settings-image-model = Modello di immagine
settings-voice = Messaggi vocali
settings-voice-auto = automatici in { $where }
settings-voice-off = disattivati (usa il menu contestuale)
settings-everywhere = tutti i canali
settings-transcribed = Trascritti, non disegnati
settings-nowhere = da nessuna parte
settings-defaults = Predefiniti
settings-defaults-value = guida { $guidance }, { $steps ->
    [one] { $steps } passo
    [many] { $steps } passi
   *[other] { $steps } passi
}, { $count ->
    [one] { $count } immagine
    [many] { $count } immagini
   *[other] { $count } immagini
}
settings-per-user = Richieste per persona
settings-buttons = Pulsanti
settings-buttons-requester = solo chi ha chiesto
settings-anyone = chiunque
settings-nsfw = NSFW
settings-nsfw-value = immagini segnalate { $action ->
    [spoiler] inviate come spoiler
   *[withhold] trattenute
} fuori dai canali NSFW; filtro { $checker ->
    [off] disattivato
   *[on] attivo
} nei canali NSFW
settings-banned = Parole vietate
settings-none = nessuna
settings-language = Lingua dei messaggi
settings-text-remixes = Remix da risposta scritta
settings-on = attivo
settings-off = disattivato
language-auto = auto (rileva)
help-buttons-title = Pulsanti su un risultato
help-buttons = 🎲 rifai, ✏️ modifica la descrizione, 🗑️ elimina. Su una griglia, **V1…** varia quell'immagine e **U1…** la disegna al doppio della dimensione (stesso seed).
    Su un'immagine singola: 🪄 **Varia** (leggera o forte), ⬆️ **Ingrandisci** (leggero: più nitida, la stessa immagine; creativo: nuovi dettagli), 🔍 zoom indietro 2× o 1,5×, **Zoom su misura** (un fattore da 1 a 2 e una nuova descrizione), ↔️ **Rendi quadrata** (se non lo è) e ⬅➡⬆⬇ per estenderla in quella direzione: i suoi pixel restano.
help-parameters-title = Parametri nella descrizione
help-parameters = Aggiungili alla fine di una descrizione scritta: `--ar 16:9` il formato, `--no text, people` cosa lasciare fuori, `--seed 42`, `--steps 30`, `--chaos 0-100` quanto sono diverse le immagini di una griglia, `--stylize 0-1000` quanto disegno liberamente (100 è normale; meno segue di più la descrizione). Opzioni come `seed:` hanno la precedenza. Quello che dici a voce non viene mai letto come parametro.
help-remix-title = Modalità Remix
help-remix = `/remix` la attiva o la spegne per te: una variazione o 🎲 rifai apre prima la descrizione, così puoi cambiarla (anche i parametri). Un server può renderla predefinita in `/impostazioni`.
remix-mode-on = 🎛️ La modalità Remix è **attiva**: una variazione o un rifai apre prima la descrizione, così puoi cambiarla. Di nuovo `/remix` la spegne.
remix-mode-off = La modalità Remix è **spenta**: variazioni e rifai partono subito.
settings-remix-mode = Modalità Remix (predefinita)
settings-previews = Anteprime dal vivo
