error-generic = Un souci de mon côté (c'est noté dans les logs). Réessaie, s'il te plaît.
error-not-here = Tu ne peux pas utiliser ça ici.
not-resumable = Ta demande n'a pas pu reprendre après un redémarrage : { $reason }

prompt-empty = La description est vide : dis ou écris ce que tu veux voir.
prompt-too-long = La description fait { $length } caractères ; la limite est de { $limit }.
negative-too-long = La description négative est trop longue (limite : { $limit } caractères).
prompt-banned = Cette description contient un mot interdit ici.
bad-model-needs-settings = Le choix du modèle nécessite les réglages d'image.
bad-aspect-or-size = Donne soit `aspect`, soit `width`/`height`, pas les deux.
bad-size-or-aspect = Donne soit `format`, soit `proportions`, pas les deux.
bad-multiple = `{ $option }` doit être un multiple de { $multiple } (reçu : { $value }).
bad-one-of = `{ $option }` doit être parmi { $known } (reçu : { $value }).
bad-not-a-number = `{ $option }` doit être un nombre (reçu : { $value }).
bad-out-of-range = `{ $option }` doit être entre { $low } et { $high } (reçu : { $value }).
style-none-configured = `style` : ce modèle n'a aucun style.
style-unknown = `style` doit être un des styles du modèle ({ $known }).
style-not-configured = Le style { $style } n'est pas configuré pour { $model }.
fast-not-configured = Aucun mode rapide n'est configuré pour le modèle { $model }.
aspect-no-side = Aucun côté dans les limites n'est un multiple de { $multiple }.
settings-out-of-range = Hors limites : { $names }.
variation-unknown-kind = Type de variation inconnu : { $kind_name }.
zoom-factor = Dézoome de plus de 1 et au plus 2 (reçu : { $value }).
factor-range = `factor` doit être supérieur à 1 et au plus 4 (reçu : { $value }).
pan-direction-needed = Une extension a besoin d'une direction (gauche, droite, haut, bas), et seulement une extension.
pan-direction-unknown = Étends vers la gauche, la droite, le haut ou le bas (reçu : { $value }).
strength-needs-image = `force` va avec `image` : joins aussi une image.
strength-needs-steps = À une force de { $strength }, une image demande au moins { $steps } étapes (reçu : { $value }).
no-prompt = Dis-moi quoi dessiner : écris une `description` ou joins un `audio`.
unknown-language = Je ne connais pas la langue « { $language } » : choisis-en une dans la liste.

not-audio = Cette pièce jointe n'est pas un audio : joins un message vocal ou un fichier audio (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = Ce message n'a pas de pièce jointe audio : utilise ça sur un message vocal ou un fichier audio.
file-too-big = Ce fichier est trop gros ({ NUMBER($size_mib, minimumFractionDigits: 1) } Mio) ; la limite est de { $limit_mib } Mio.
not-a-picture = Cette pièce jointe n'est pas une image : joins une image PNG, JPEG ou WebP.
attachment-picture-too-big = Cette image est trop grosse ({ NUMBER($size_mib, minimumFractionDigits: 1) } Mio) ; la limite est de { $limit_mib } Mio.
audio-file-empty = Ce fichier est vide — envoie un message vocal ou un fichier audio.
audio-unreadable = Je n'arrive pas à lire ça comme de l'audio — envoie un message vocal ou un fichier audio (ogg, mp3, m4a, wav, webm, flac).
audio-silent = L'audio est vide — je n'y ai rien entendu.
audio-decode-timeout = Cet audio a mis trop de temps à être décodé — essaie un fichier plus court ou plus simple.
audio-too-long = Cet audio est trop long ({ NUMBER($seconds, minimumFractionDigits: 1) } s) ; la limite est de { $limit } s. Envoie un extrait plus court.
audio-too-long-unknown = Cet audio est trop long (plus de { $limit } s) ; la limite est de { $limit } s. Envoie un extrait plus court.
recording-too-large = Cet enregistrement est trop gros (la limite est de { $limit_mib } Mio).
no-speech = Je n'ai entendu aucune parole dans cet enregistrement. Réessaie en parlant un peu plus près du micro.
fetch-failed-recording = Je n'ai pas pu télécharger ton enregistrement depuis Discord, même en réessayant. Renvoie-le, s'il te plaît.
fetch-failed-picture = Je n'ai pas pu télécharger l'image à varier depuis Discord, même en réessayant. Renvoie-la, s'il te plaît.

picture-unreadable = Impossible de lire l'image (fichier abîmé ?).
picture-too-big = L'image dépasse { $limit_mib } Mio ; envoie-en une plus petite.
picture-too-many-pixels = L'image fait { $width }×{ $height } : { $limit } pixels au maximum, s'il te plaît.
picture-bomb = L'image a trop de pixels.
picture-not-a-picture = Ce n'est pas une image PNG, JPEG ou WebP.
picture-at-max-size = L'image est déjà aussi grande que permis ({ $max_side } px).
picture-at-max-side = L'image fait déjà { $max_side } px dans ce sens.
picture-gone = Cette image n'est plus sur ce message.
out-of-memory = Pas assez de mémoire GPU pour { $count } images en { $width }x{ $height } ; demande-en moins ou plus petites.
pictures-too-large = Ces images sont trop lourdes à envoyer ; demande-en moins ou plus petites.

queue-full = La file est pleine ({ $count } demandes). Réessaie dans quelques minutes.
user-limit = { $count ->
    [one] Tu as déjà { $count } demande dans la file. Attends qu'elle se termine, ou annule-la.
    [many] Tu as déjà { $count } demandes dans la file. Attends qu'une se termine, ou annules-en une.
   *[other] Tu as déjà { $count } demandes dans la file. Attends qu'une se termine, ou annules-en une.
}
queue-unavailable = Ma file de demandes est injoignable pour l'instant, je ne peux donc pas en prendre de nouvelles. Réessaie dans une minute.

job-forgotten = Je n'ai plus cette demande, désolé : lance-en une nouvelle avec /imaginer.
button-out-of-date = Ce bouton est périmé : utilise-le sur un résultat plus récent.
already-on-it = J'y suis déjà.
requester-only = Sur ce serveur, seul·e { $user } peut utiliser ces boutons. Lance ta propre demande avec /imaginer.
delete-not-yours = Seule la personne qui a demandé ces images (ou un modo) peut les supprimer.
cancel-not-yours = Cette demande n'est pas à toi, ou elle est déjà terminée.
deleted = Supprimé.
cancelled = Annulé.
remix-not-yours = Sur ce serveur, seul·e { $user } peut remixer cette image. Lance ta propre demande avec /imaginer.
parameter-unknown = Je ne connais pas le paramètre `{ $name }`. Je comprends { $known }.
parameter-twice = `{ $name }` est là deux fois : mets-le une seule fois.
parameter-empty = `{ $name }` a besoin d'une valeur après, comme `--ar 16:9` ou `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` n'est pas un format : utilise largeur:hauteur, de 1:4 à 4:1, comme `16:9`.
parameter-bad-number = `{ $name }` prend un nombre entier de { $low } à { $high } (reçu : { $value }).
zoom-custom-factor = Indique un nombre de 1 à 2, comme 1,5 (reçu : { $value }).
picture-square = Cette image est déjà carrée.
sampler-unusable = Le sampler { $sampler } ne fonctionne pas avec { $model } ({ $family }) : choisis parmi { $known }, ou laisse `sampler` vide.
guidance-ignored = { $model } dessine sans guidance : laisse `guidance` vide.
negative-ignored = Un prompt négatif demande une guidance supérieure à 1 avec { $model } (reçu : { $guidance }) : augmente `guidance` ou laisse `negative` vide.
