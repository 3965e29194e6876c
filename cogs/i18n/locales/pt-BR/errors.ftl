error-generic = Deu algo errado do meu lado (já ficou registrado). Tente de novo, por favor.
error-not-here = Você não pode usar isso aqui.
not-resumable = Seu pedido não pôde continuar depois de um reinício: { $reason }

prompt-empty = A descrição está vazia: fale ou escreva o que você quer ver.
prompt-too-long = A descrição tem { $length } caracteres; o limite é { $limit }.
negative-too-long = A descrição negativa é longa demais (limite de { $limit } caracteres).
prompt-banned = Essa descrição usa uma palavra que não é permitida aqui.
bad-model-needs-settings = Escolher o modelo exige as configurações de imagem.
bad-aspect-or-size = Informe `aspect` ou `width`/`height`, não os dois.
bad-size-or-aspect = Informe `formato` ou `proporção`, não os dois.
bad-multiple = `{ $option }` precisa ser múltiplo de { $multiple } (recebido: { $value }).
bad-one-of = `{ $option }` precisa ser um de { $known } (recebido: { $value }).
bad-not-a-number = `{ $option }` precisa ser um número (recebido: { $value }).
bad-out-of-range = `{ $option }` precisa estar entre { $low } e { $high } (recebido: { $value }).
style-none-configured = `estilo`: este modelo não tem estilos.
style-unknown = `estilo` precisa ser um dos estilos do modelo ({ $known }).
style-not-configured = O estilo { $style } não está configurado para { $model }.
fast-not-configured = Não há modo rápido configurado para o modelo { $model }.
aspect-no-side = Nenhum lado dentro dos limites é múltiplo de { $multiple }.
settings-out-of-range = Fora do intervalo: { $names }.
variation-unknown-kind = Tipo de variação desconhecido: { $kind_name }.
zoom-factor = Afaste mais de 1 e no máximo 2 vezes (recebido: { $value }).
factor-range = `factor` precisa ser maior que 1 e no máximo 4 (recebido: { $value }).
pan-direction-needed = Uma extensão precisa de uma direção (esquerda, direita, cima, baixo), e só uma extensão.
pan-direction-unknown = Estenda para a esquerda, direita, cima ou baixo (recebido: { $value }).
strength-needs-image = `intensidade` vai junto com `imagem`: anexe uma imagem também.
strength-needs-steps = Com intensidade { $strength }, uma imagem precisa de pelo menos { $steps } passos (recebido: { $value }).
no-prompt = Me diga o que desenhar: escreva uma `descrição` ou anexe um `áudio`.
unknown-language = Não conheço o idioma “{ $language }”: escolha um da lista.

not-audio = Esse anexo não é áudio: anexe uma mensagem de voz ou um arquivo de áudio (ogg, mp3, m4a, wav, webm, flac).
no-audio-attachment = Essa mensagem não tem áudio anexado: use isso em uma mensagem de voz ou arquivo de áudio.
file-too-big = Esse arquivo é grande demais ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); o limite é { $limit_mib } MiB.
not-a-picture = Esse anexo não é uma imagem: anexe uma imagem PNG, JPEG ou WebP.
attachment-picture-too-big = Essa imagem é grande demais ({ NUMBER($size_mib, minimumFractionDigits: 1) } MiB); o limite é { $limit_mib } MiB.
audio-file-empty = Esse arquivo está vazio — envie uma mensagem de voz ou um arquivo de áudio.
audio-unreadable = Não consegui ler isso como áudio — envie uma mensagem de voz ou um arquivo de áudio (ogg, mp3, m4a, wav, webm, flac).
audio-silent = O áudio está vazio — não ouvi nada nele.
audio-decode-timeout = Esse áudio demorou demais para ser lido — tente um arquivo mais curto ou mais simples.
audio-too-long = Esse áudio é longo demais ({ NUMBER($seconds, minimumFractionDigits: 1) } s); o limite é { $limit } s. Envie um trecho mais curto.
audio-too-long-unknown = Esse áudio é longo demais (mais de { $limit } s); o limite é { $limit } s. Envie um trecho mais curto.
recording-too-large = Essa gravação é grande demais (o limite é { $limit_mib } MiB).
no-speech = Não ouvi nenhuma fala nessa gravação. Tente de novo, falando um pouco mais perto do microfone.
fetch-failed-recording = Não consegui baixar sua gravação do Discord, nem tentando de novo. Envie outra vez, por favor.
fetch-failed-picture = Não consegui baixar do Discord a imagem para variar, nem tentando de novo. Envie outra vez, por favor.

picture-unreadable = Não deu para ler a imagem (arquivo corrompido?).
picture-too-big = A imagem passa de { $limit_mib } MiB; envie uma menor.
picture-too-many-pixels = A imagem tem { $width }×{ $height }: no máximo { $limit } pixels, por favor.
picture-bomb = A imagem tem pixels demais.
picture-not-a-picture = Isso não é uma imagem PNG, JPEG ou WebP.
picture-at-max-size = A imagem já está do tamanho máximo permitido ({ $max_side } px).
picture-at-max-side = A imagem já tem { $max_side } px nessa direção.
picture-gone = Essa imagem não está mais nesta mensagem.
out-of-memory = Falta memória de GPU para { $count } imagens em { $width }x{ $height }; peça menos ou menores.
pictures-too-large = Essas imagens são grandes demais para enviar; peça menos ou menores.

queue-full = A fila está cheia ({ $count } pedidos). Tente de novo em alguns minutos.
user-limit = { $count ->
    [one] Você já tem { $count } pedido na fila. Espere terminar ou cancele.
    [many] Você já tem { $count } pedidos na fila. Espere um terminar ou cancele um.
   *[other] Você já tem { $count } pedidos na fila. Espere um terminar ou cancele um.
}
queue-unavailable = Minha fila de pedidos está fora do ar agora, então não posso aceitar novos. Tente de novo em um minuto.

job-forgotten = Não tenho mais esse pedido, foi mal: comece um novo com /imaginar.
button-out-of-date = Esse botão está desatualizado: use-o em um resultado mais recente.
already-on-it = Já estou nessa.
requester-only = Neste servidor, só { $user } pode usar estes botões. Comece o seu com /imaginar.
delete-not-yours = Só quem pediu estas imagens (ou um moderador) pode apagá-las.
cancel-not-yours = Esse pedido não é seu, ou já terminou.
deleted = Apagado.
cancelled = Cancelado.
remix-not-yours = Neste servidor, só { $user } pode remixar essa imagem. Comece o seu com /imaginar.
parameter-unknown = Não conheço o parâmetro `{ $name }`. Eu entendo { $known }.
parameter-twice = `{ $name }` aparece duas vezes: coloque só uma vez.
parameter-empty = `{ $name }` precisa de um valor depois, como `--ar 16:9` ou `--seed 42`.
parameter-bad-ratio = `{ $name } { $value }` não é uma proporção: use largura:altura de 1:4 a 4:1, como `16:9`.
parameter-bad-number = `{ $name }` aceita um número inteiro de { $low } a { $high } (recebido: { $value }).
zoom-custom-factor = Use um número de 1 a 2, como 1,5 (recebido: { $value }).
picture-square = Essa imagem já é quadrada.
sampler-unusable = O sampler { $sampler } não funciona com { $model } ({ $family }): escolha um entre { $known } ou deixe `sampler` vazio.
guidance-ignored = { $model } desenha sem guidance: deixe `guidance` vazio.
negative-ignored = Um prompt negativo precisa de guidance acima de 1 com { $model } (recebido: { $guidance }): aumente `guidance` ou deixe `negative` vazio.
