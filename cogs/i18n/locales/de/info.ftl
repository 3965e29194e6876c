help = **Sprich, und ich male.**
    • `/malen beschreibung:<text>` — oder häng `audio:` an (Sprachnachricht oder Audiodatei), und ich male, was du sagst, in jeder Sprache (ich übersetze es vorher ins Englische).
    • Rechtsklick auf eine Sprachnachricht → *Apps* → **Aus Sprachnachricht malen** oder **Sprachnachricht transkribieren** (Sprache, Transkript und englische Übersetzung; dann 🎨 *Malen* oder ✏️ erst bearbeiten).
    • `sprache:` sagt, welche Sprache du sprichst (Standard: erkannt); bei einem Sprachauftrag hört das Menü **Falsche Sprache?** in der gewählten Sprache noch mal hin.
    • Optionen: `seed` (gleicher Seed + gleiche Optionen = gleiches Bild), `guidance` (1–20: wie wörtlich ich der Beschreibung folge), `schritte` (mehr = langsamer und feiner), `anzahl` (Bilder), `negativ` (was wegbleiben soll), `format` oder `seitenverhältnis` (16:9, 2:3…), `modell`, `sampler`, `stil` (ein Look des Modells), `schnell` (ein paar schnelle Schritte).
    • `bild:` malt aus deinem eigenen Bild (PNG, JPEG oder WebP); `stärke` 0,05–1 sagt, wie weit ich mich davon entferne.
    • Während ich male, zeigt die Nachricht, wie deine Bilder entstehen; Knöpfe, Parameter und Remix-Modus stehen unten.
    • 🎙️ Antworte auf eins meiner Bilder mit einer Sprachnachricht („jetzt bei Nacht“), und ich remixe es: gleiches Modell, gleiche Größe, gleicher Seed, deine Worte als neue Beschreibung.
    • Jedes Ergebnis zeigt erkannte Sprache, Transkript, Übersetzung, Beschreibung, Seed, Guidance, Schritte, Größe und Modell, damit du es nachmachen kannst.
    • `/warteschlange` zeigt deinen Platz; `/status` zeigt, worauf ich laufe.

queue-head = Warteschlange: { $waiting } wartend, { $drawing ->
    [0] keiner in Arbeit
   *[other] { $drawing } in Arbeit
}.
queue-drawing-now = wird gerade gemalt
queue-state = { $state ->
    [queued] in der Warteschlange
    [listening] höre zu
    [waiting] wartet
   *[other] { $state }
}
queue-listening = (höre zu…)
queue-none-yours = Du hast keine Aufträge in der Warteschlange.

status-none-loaded = noch keins geladen
status-models = Whisper: { $speech } · Bildmodell: `{ $image }` — { $status }
status-device = Gerät: { $device }
status-jobs = Erledigte Aufträge: { $done }; wartend: { $waiting }
status-average-listening = Zuhören im Schnitt: { NUMBER($seconds, minimumFractionDigits: 1) } s
status-average-drawing = Malen im Schnitt: { NUMBER($seconds, minimumFractionDigits: 1) } s

settings-title = Einstellungen für diesen Server
settings-saved = Gespeichert.
settings-not-admin = Du brauchst die Berechtigung „Server verwalten“, um meine Einstellungen zu ändern.
settings-no-content-intent = Automodus und Transkript-Kanäle brauchen den Message Content Intent, den dieser Bot nicht anfordert. Wer den Bot betreibt, muss im Discord Developer Portal *Message Content Intent* einschalten (Bot → Privileged Gateway Intents), `discord.message_content_intent = true` setzen (oder `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) und ihn neu starten. Bis dahin nutz das Menü *Aus Sprachnachricht malen* an einer Sprachnachricht.
settings-whisper-model = Whisper-Modell
settings-image-model = Bildmodell
settings-voice = Sprachnachrichten
settings-voice-auto = automatisch in { $where }
settings-voice-off = aus (nutz das Kontextmenü)
settings-everywhere = allen Kanälen
settings-transcribed = Nur transkribiert, nicht gemalt
settings-nowhere = nirgends
settings-defaults = Standardwerte
settings-defaults-value = Guidance { $guidance }, { $steps ->
    [one] { $steps } Schritt
   *[other] { $steps } Schritte
}, { $count ->
    [one] { $count } Bild
   *[other] { $count } Bilder
}
settings-per-user = Aufträge pro Person
settings-buttons = Knöpfe
settings-buttons-requester = nur wer bestellt hat
settings-anyone = alle
settings-nsfw = NSFW
settings-nsfw-value = markierte Bilder außerhalb von NSFW-Kanälen { $action ->
    [spoiler] als Spoiler gesendet
   *[withhold] zurückgehalten
}; Filter in NSFW-Kanälen { $checker ->
    [off] aus
   *[on] an
}
settings-banned = Verbotene Wörter
settings-none = keine
settings-language = Sprache der Auftragsnachrichten
settings-text-remixes = Getippte Antworten remixen
settings-on = an
settings-off = aus
language-auto = automatisch (erkennen)
help-buttons-title = Knöpfe an einem Ergebnis
help-buttons = 🎲 neu würfeln, ✏️ Beschreibung ändern, 🗑️ löschen. Bei mehreren Bildern: **V1…** variiert dieses Bild, **U1…** malt es doppelt so groß (gleicher Seed).
    Bei einem einzelnen Bild: 🪄 **Variieren** (subtil oder stark), ⬆️ **Vergrößern** (subtil: schärfer, dasselbe Bild; kreativ: neue Details), 🔍 2× oder 1,5× rauszoomen, **Eigener Zoom** (ein Faktor von 1 bis 2 und eine neue Beschreibung), ↔️ **Quadratisch machen** (wenn es das nicht ist) und ⬅➡⬆⬇ in diese Richtung erweitern: seine Pixel bleiben.
help-parameters-title = Parameter in der Beschreibung
help-parameters = Häng sie ans Ende einer getippten Beschreibung: `--ar 16:9` das Format, `--no text, people` was wegbleiben soll, `--seed 42`, `--steps 30`, `--chaos 0-100` wie verschieden die Bilder eines Rasters sind, `--stylize 0-1000` wie frei ich male (100 ist normal; weniger folgt der Beschreibung genauer). Optionen wie `seed:` gehen vor. Was du sagst, lese ich nie als Parameter.
help-remix-title = Remix-Modus
help-remix = `/remix` schaltet ihn für dich an oder aus: Eine Variation oder 🎲 neu würfeln öffnet dann erst die Beschreibung, damit du sie ändern kannst (auch Parameter). Ein Server kann ihn in `/einstellungen` zum Standard machen.
remix-mode-on = 🎛️ Remix-Modus ist **an**: Eine Variation oder ein neuer Wurf öffnet erst die Beschreibung, damit du sie ändern kannst. `/remix` noch mal schaltet ihn aus.
remix-mode-off = Remix-Modus ist **aus**: Variationen und neue Würfe werden sofort gemalt.
settings-remix-mode = Remix-Modus (Standard)
settings-previews = Live-Vorschau
