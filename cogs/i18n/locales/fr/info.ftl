help = **Parle, et je dessine.**
    • `/imaginer description:<texte>` — ou joins `audio:` (un message vocal ou un fichier audio) et je dessine ce que tu dis, dans n'importe quelle langue (je le traduis d'abord en anglais).
    • Clic droit sur un message vocal → *Applications* → **Imaginer depuis le vocal**, ou **Transcrire le message vocal** (langue, transcription et traduction anglaise ; puis 🎨 *Dessiner* ou ✏️ modifie d'abord).
    • `langue:` indique la langue que tu parles (par défaut : détectée) ; sur une demande vocale, le menu **Mauvaise langue ?** réécoute dans celle que tu choisis.
    • Options : `seed` (même seed + mêmes options = même image), `guidage` (1–20 : à quel point suivre la description), `étapes` (plus = plus lent et plus fin), `nombre` (d'images), `négatif` (ce qu'il faut éviter), `format` ou `proportions` (16:9, 2:3…), `modèle`, `sampler`, `style` (un rendu proposé par le modèle), `rapide` (quelques étapes express).
    • `image:` dessine à partir de ta propre image (PNG, JPEG ou WebP) ; `force` 0,05–1 dit à quel point s'en éloigner.
    • Pendant que je dessine, le message montre tes images qui prennent forme ; boutons, paramètres et mode Remix sont juste en dessous.
    • 🎙️ Réponds à une de mes images par un message vocal (« maintenant de nuit ») et je la remixe : même modèle, même taille, même seed, tes mots comme nouvelle description.
    • Chaque résultat montre la langue détectée, la transcription, la traduction, la description, la seed, le guidage, les étapes, la taille et le modèle, pour pouvoir le refaire.
    • `/file` montre ta place ; `/statut` montre sur quoi je tourne.

queue-head = File : { $waiting } en attente, { $drawing ->
    [0] aucune en cours
   *[other] { $drawing } en cours
}.
queue-drawing-now = en cours de dessin
queue-state = { $state ->
    [queued] en file
    [listening] écoute
    [waiting] en attente
   *[other] { $state }
}
queue-listening = (j'écoute…)
queue-none-yours = Tu n'as aucune demande dans la file.

status-none-loaded = aucun chargé pour l'instant
status-models = Whisper : { $speech } · modèle d'image : `{ $image }` — { $status }
status-device = Matériel : { $device }
status-jobs = Demandes faites : { $done } ; en attente : { $waiting }
status-average-listening = Écoute moyenne : { NUMBER($seconds, minimumFractionDigits: 1) } s
status-average-drawing = Dessin moyen : { NUMBER($seconds, minimumFractionDigits: 1) } s

settings-title = Réglages de ce serveur
settings-saved = Enregistré.
settings-not-admin = Il te faut la permission Gérer le serveur pour changer mes réglages.
settings-no-content-intent = Le mode auto et les salons de transcription ont besoin de l'intent Message Content, que ce bot ne demande pas. La personne qui gère le bot doit activer *Message Content Intent* dans le Discord Developer Portal (Bot → Privileged Gateway Intents), mettre `discord.message_content_intent = true` (ou `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) et le redémarrer. En attendant, utilise le menu *Imaginer depuis le vocal* sur un message vocal.
settings-whisper-model = Modèle Whisper
settings-image-model = Modèle d'image
settings-voice = Messages vocaux
settings-voice-auto = auto dans { $where }
settings-voice-off = désactivé (utilise le menu contextuel)
settings-everywhere = tous les salons
settings-transcribed = Transcrits, pas dessinés
settings-nowhere = nulle part
settings-defaults = Par défaut
settings-defaults-value = guidage { $guidance }, { $steps ->
    [one] { $steps } étape
    [many] { $steps } étapes
   *[other] { $steps } étapes
}, { $count ->
    [one] { $count } image
    [many] { $count } images
   *[other] { $count } images
}
settings-per-user = Demandes par personne
settings-buttons = Boutons
settings-buttons-requester = demandeur seulement
settings-anyone = tout le monde
settings-nsfw = NSFW
settings-nsfw-value = images signalées { $action ->
    [spoiler] envoyées en spoiler
   *[withhold] retenues
} hors des salons NSFW ; filtre { $checker ->
    [off] désactivé
   *[on] activé
} dans les salons NSFW
settings-banned = Mots interdits
settings-none = aucun
settings-language = Langue des messages de demande
settings-text-remixes = Remix par réponse écrite
settings-on = activé
settings-off = désactivé
language-auto = auto (détection)
help-buttons-title = Boutons sous un résultat
help-buttons = 🎲 relancer, ✏️ modifier la description, 🗑️ supprimer. Sur une grille, **V1…** varie cette image et **U1…** la dessine en deux fois plus grand (même seed).
    Sur une image seule : 🪄 **Varier** (subtil ou fort), ⬆️ **Agrandir** (subtil : plus net, la même image ; créatif : de nouveaux détails), 🔍 dézoomer 2× ou 1,5×, **Zoom personnalisé** (un facteur de 1 à 2 et une nouvelle description), ↔️ **Rendre carré** (si elle ne l'est pas) et ⬅➡⬆⬇ pour l'étendre dans ce sens : ses pixels restent.
help-parameters-title = Paramètres dans la description
help-parameters = Ajoute-les à la fin d'une description écrite : `--ar 16:9` le format, `--no text, people` ce qu'il faut éviter, `--seed 42`, `--steps 30`, `--chaos 0-100` à quel point les images d'une grille diffèrent, `--stylize 0-1000` ma liberté de dessin (100 est normal ; moins suit la description de plus près). Les options comme `seed:` passent avant. Ce que tu dis à voix haute n'est jamais lu comme paramètre.
help-remix-title = Mode Remix
help-remix = `/remix` l'active ou le désactive pour toi : une variation ou 🎲 relancer ouvre alors d'abord la description pour que tu la changes (paramètres compris). Un serveur peut en faire le défaut dans `/réglages`.
remix-mode-on = 🎛️ Le mode Remix est **activé** : une variation ou une relance ouvre d'abord sa description pour que tu la modifies. `/remix` encore une fois le désactive.
remix-mode-off = Le mode Remix est **désactivé** : variations et relances se dessinent tout de suite.
settings-remix-mode = Mode Remix (par défaut)
settings-previews = Aperçus en direct
