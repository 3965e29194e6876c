# Refusals and errors: why a request was not taken, or why a job failed.

error-generic = Something went wrong on my side (it has been logged). Please try again.
error-not-here = You can't use that here.
not-resumable = Your job could not be resumed after a restart: { $reason }

prompt-empty = The prompt is empty: say or type what you want to see.
prompt-too-long = The prompt is { $length } characters long; the limit is { $limit }.
negative-too-long = The negative prompt is too long (limit { $limit } characters).
prompt-banned = That prompt uses a word that isn't allowed here.
bad-model-needs-settings = Model choice needs the image settings.
bad-aspect-or-size = Give either `aspect` or `width`/`height`, not both.
bad-size-or-aspect = Give either `size` or `aspect`, not both.
bad-multiple = `{ $option }` must be a multiple of { $multiple } (got { $value }).
bad-one-of = `{ $option }` must be one of { $known } (got { $value }).
bad-not-a-number = `{ $option }` must be a number (got { $value }).
bad-out-of-range = `{ $option }` must be between { $low } and { $high } (got { $value }).
style-none-configured = `style` must be one of the model's styles (none are configured).
style-unknown = `style` must be one of the model's styles ({ $known }).
style-not-configured = The style { $style } is not configured for { $model }.
fast-not-configured = No fast mode is configured for the model { $model }.
aspect-no-side = No side between the limits is a multiple of { $multiple }.
settings-out-of-range = Out of range: { $names }.
variation-unknown-kind = Unknown kind of variation { $kind_name }.
zoom-factor = Zoom out by more than 1 and at most 2 (got { $value }).
factor-range = `factor` must be above 1 and at most 4 (got { $value }).
pan-direction-needed = A pan needs a direction (left, right, up, down), only a pan.
pan-direction-unknown = Pan left, right, up or down (got { $value }).
strength-needs-image = `strength` goes with `image`: attach a picture too.
strength-needs-steps = At strength { $strength } a picture needs at least { $steps } steps (got { $value }).
no-prompt = Tell me what to draw: type a `prompt` or attach `audio`.
unknown-language = I don't know the language “{ $language }”: pick one from the list.

not-audio = That attachment isn't audio: attach a voice message or an audio file (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = That message has no audio attachment: use this on a voice message or an audio file.
file-too-big = That file is too big ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); the limit is { $limit_mib } MiB.
not-a-picture = That attachment isn't a picture: attach a PNG, JPEG or WebP image.
attachment-picture-too-big = That picture is too big ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); the limit is { $limit_mib } MiB.
audio-file-empty = That file is empty — send a voice message or an audio file.
audio-unreadable = I couldn't read that as audio — send a voice message or an audio file (ogg, mp3, m4a, wav, webm, flac).
audio-silent = The audio is empty — I couldn't hear anything in it.
audio-decode-timeout = That audio took too long to decode — try a shorter or simpler file.
audio-too-long = That audio is too long ({ NUMBER($seconds, minimumFractionDigits: 1) } s); the limit is { $limit } s. Send a shorter clip.
audio-too-long-unknown = That audio is too long (more than { $limit } s); the limit is { $limit } s. Send a shorter clip.
recording-too-large = That recording is too large (the limit is { $limit_mib } MiB).
no-speech = I didn't hear any speech in that recording. Try again, speaking a little closer to the mic.
fetch-failed-recording = I couldn't download your recording from Discord, even after retrying. Please send it again.
fetch-failed-picture = I couldn't download the picture to vary from Discord, even after retrying. Please send it again.

picture-unreadable = The picture could not be read (damaged file?).
picture-too-big = The picture is over { $limit_mib } MiB; send a smaller one.
picture-too-many-pixels = The picture is { $width }×{ $height }: at most { $limit } pixels, please.
picture-bomb = The picture has too many pixels.
picture-not-a-picture = That is not a PNG, JPEG or WebP picture.
picture-at-max-size = The picture is already as large as allowed ({ $max_side } px).
picture-at-max-side = The picture is already { $max_side } px that way.
picture-gone = That picture is not on this message any more.
out-of-memory = Not enough GPU memory for { $count } images at { $width }x{ $height }; try fewer or smaller.
pictures-too-large = Those pictures are too large to send; ask for fewer or smaller ones.

queue-full = The queue is full ({ $count } jobs). Please try again in a few minutes.
user-limit = { $count ->
    [one] You already have { $count } job in the queue. Wait for it to finish, or cancel it.
   *[other] You already have { $count } jobs in the queue. Wait for one to finish, or cancel one.
}
queue-unavailable = My job queue is unreachable right now, so I can't take new requests. Please try again in a minute.

job-forgotten = I no longer have that job, sorry: start a new one with /imagine.
button-out-of-date = That button is out of date: use it on a newer result.
already-on-it = Already on it.
requester-only = On this server only { $user } can use these buttons. Start your own with /imagine.
delete-not-yours = Only the person who asked for these pictures (or a moderator) can delete them.
cancel-not-yours = That job is not yours, or it has already finished.
deleted = Deleted.
cancelled = Cancelled.
remix-not-yours = On this server only { $user } can remix that picture. Start your own with /imagine.
parameter-unknown = I don't know the parameter `{ $name }`. I understand { $known }.
parameter-twice = `{ $name }` is there twice: give it once.
parameter-empty = `{ $name }` needs a value after it, like `--ar 16:9` or `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` isn't an aspect ratio: use width:height from 1:4 to 4:1, like `16:9`.
parameter-bad-number = `{ $name }` takes a whole number from { $low } to { $high } (got { $value }).
zoom-custom-factor = Zoom out by a number from 1 to 2, like 1.5 (got { $value }).
picture-square = That picture is already square.
sampler-unusable = The sampler { $sampler } does not work with { $model } ({ $family }): pick one of { $known }, or leave `sampler` unset.
guidance-ignored = { $model } draws without guidance: leave `guidance` unset.
negative-ignored = A negative prompt needs guidance above 1 with { $model } (got { $guidance }): raise `guidance` or leave `negative` empty.
