# /help, /queue, /status and /settings.

help = **Speak, and I draw.**
    • `/imagine prompt:<text>` — or attach `audio:` (a voice message or audio file) and I draw what you say, in any language (I translate it to English first).
    • Right-click a voice message → *Apps* → **Imagine from voice message**, or **Transcribe voice message** (language, transcript and English translation; then 🎨 *Draw this* or ✏️ edit it first).
    • `language:` says which language you speak (default: detected); on a voice job, the **Wrong language?** menu listens again in the one you pick.
    • Options: `seed` (same seed + same options = same picture), `guidance` (1–20: how literally to follow the prompt), `steps` (more = slower and finer), `count` (images), `negative` (what to leave out), `size` or `aspect` (16:9, 2:3…), `model`, `sampler`, `style` (a look the model offers), `fast` (a few quick steps).
    • `image:` draws from your own picture (PNG, JPEG or WebP); `strength` 0.05–1 says how far to move from it.
    • While I draw, the message shows your pictures forming; buttons, prompt parameters and Remix mode are below.
    • 🎙️ Reply to one of my pictures with a voice message (“now make it at night”) and I remix it: same model, size and seed, your words as the new prompt.
    • Every result shows the detected language, transcript, translation, prompt, seed, guidance, steps, size and model, so you can reproduce it.
    • `/queue` shows your place; `/status` shows what I'm running on.

queue-head = Queue: { $waiting } waiting, { $drawing ->
    [0] none drawing
   *[other] { $drawing } drawing
}.
queue-drawing-now = drawing now
queue-state = { $state ->
    [queued] queued
    [listening] listening
    [waiting] waiting
   *[other] { $state }
}
queue-listening = (listening…)
queue-none-yours = You have no jobs in the queue.

status-none-loaded = none loaded yet
status-models = Whisper: { $speech } · image model: `{ $image }` — { $status }
status-device = Device: { $device }
status-jobs = Jobs done: { $done }; waiting: { $waiting }
status-average-listening = Average listening: { NUMBER($seconds, minimumFractionDigits: 1) } s
status-average-drawing = Average drawing: { NUMBER($seconds, minimumFractionDigits: 1) } s

settings-title = Settings for this server
settings-saved = Saved.
settings-not-admin = You need the Manage Server permission to change my settings.
settings-no-content-intent = Auto mode and transcribe channels need the Message Content intent, which this bot does not ask for. The bot's owner must turn on *Message Content Intent* in the Discord Developer Portal (Bot → Privileged Gateway Intents), set `discord.message_content_intent = true` (or `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) and restart it. Until then, use the *Imagine from voice message* menu on a voice message.
settings-whisper-model = Whisper model
settings-image-model = Image model
settings-voice = Voice messages
settings-voice-auto = auto in { $where }
settings-voice-off = off (use the context menu)
settings-everywhere = every channel
settings-transcribed = Transcribed, not drawn
settings-nowhere = nowhere
settings-defaults = Defaults
settings-defaults-value = guidance { $guidance }, { $steps ->
    [one] { $steps } step
   *[other] { $steps } steps
}, { $count ->
    [one] { $count } image
   *[other] { $count } images
}
settings-per-user = Jobs per user
settings-buttons = Buttons
settings-buttons-requester = requester only
settings-anyone = anyone
settings-nsfw = NSFW
settings-nsfw-value = flagged pictures { $action ->
    [spoiler] sent as spoilers
   *[withhold] withheld
} outside NSFW channels; checker { $checker ->
    [off] off
   *[on] on
} in NSFW channels
settings-banned = Banned words
settings-none = none
settings-language = Language of job messages
settings-text-remixes = Typed replies remix
settings-on = on
settings-off = off
language-auto = auto (detect it)
help-buttons-title = Buttons on a result
help-buttons = 🎲 re-roll, ✏️ edit the prompt, 🗑️ delete. On a grid, **V1…** varies that picture and **U1…** draws it at twice the size (same seed).
    On a single picture: 🪄 **Vary** (Subtle or Strong), ⬆️ **Upscale** (Subtle: sharper, the same picture; Creative: new detail), 🔍 zoom out 2× or 1.5×, **Custom Zoom** (a factor from 1 to 2 and a new prompt), ↔️ **Make Square** (when it isn't) and ⬅➡⬆⬇ to extend it that way: its pixels stay.
help-parameters-title = Prompt parameters
help-parameters = Add them at the end of a typed prompt: `--ar 16:9` the shape, `--no text, people` what to leave out, `--seed 42`, `--steps 30`, `--chaos 0-100` how different a grid's pictures are, `--stylize 0-1000` how freely I draw (100 is normal; lower follows the prompt more closely). Options such as `seed:` win over them. Whatever you say aloud is never read for parameters.
help-remix-title = Remix mode
help-remix = `/remix` turns it on or off for you: a variation or 🎲 re-roll then first opens its prompt, so you can change it (parameters too). A server can make it the default in `/settings`.
remix-mode-on = 🎛️ Remix mode is **on**: a variation or re-roll first opens its prompt, so you can change it. `/remix` again turns it off.
remix-mode-off = Remix mode is **off**: variations and re-rolls draw at once.
settings-remix-mode = Remix mode (default)
settings-previews = Live previews
