job-saved = 💾 Salvo — estou reiniciando; seu pedido começa assim que eu voltar
job-queued = ⏳ Na fila
job-queued-position = ⏳ Na fila — posição { $position } de { $length }
job-eta = cerca de { $duration }
job-warming-up = 🔥 Aquecendo: { $what }…
job-listening = 👂 Ouvindo…
job-drawing = 🎨 Desenhando…
job-drawing-step = 🎨 Desenhando — passo { $step }/{ $steps } · { NUMBER($fraction, style: "percent") }
job-time-left = faltam { $duration }
job-done = ✅ Pronto
job-transcribed = 📝 Transcrito
job-cancelled = 🚫 Cancelado
job-failed = ❌ { $error }
job-failed-plain = ❌ Falhou
job-footer = pedido { $job } · { $user }
job-lost = ❌ Reiniciei antes de salvar seu pedido, foi mal. Envie de novo, por favor.
job-here = aqui está seu pedido:
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min { $seconds } s

field-heard = Ouvido ({ $language }, { NUMBER($probability, style: "percent") })
field-heard-unsure = Ouvido ({ $language }, { NUMBER($probability, style: "percent") }, sem certeza: idioma errado? escolha abaixo)
field-translation = Tradução
field-no-translation = Sem tradução
field-prompt-cut = Descrição cortada
field-prompt-cut-value = O que você disse é maior do que uma descrição pode ser: desenhei a primeira parte.
field-negative = Negativo
field-seed = Seed
field-guidance = Orientação
field-steps = Passos
field-size = Tamanho
field-images = Imagens
field-model = Modelo
model-fast = { $model } · rápido
field-sampler = Sampler
field-style = Estilo
field-safety = Filtro de segurança
safety-withheld = { $count ->
    [one] { $count } imagem marcada como NSFW: retida.
    [many] { $count } imagens marcadas como NSFW: retidas.
   *[other] { $count } imagens marcadas como NSFW: retidas.
}
safety-spoilered = { $count ->
    [one] { $count } imagem marcada como NSFW: enviada como spoiler.
    [many] { $count } imagens marcadas como NSFW: enviadas como spoiler.
   *[other] { $count } imagens marcadas como NSFW: enviadas como spoiler.
}
safety-shown = { $count ->
    [one] { $count } imagem marcada como NSFW: mostrada.
    [many] { $count } imagens marcadas como NSFW: mostradas.
   *[other] { $count } imagens marcadas como NSFW: mostradas.
}
field-remix-of = Remix do pedido { $job }
drawn-from-vary = Variação de
drawn-from-upscale = Ampliação de
drawn-from-zoom = Afastado de
drawn-from-pan = Estendido de
drawn-from-image = Desenhado a partir da sua imagem
strength = intensidade { $strength }
source-strength = { $source } (intensidade { $strength })
source-zoom = { $source } · { $factor }×
language-unknown = desconhecido
language-guess = { $language } ({ NUMBER($probability, style: "percent") })
language-select-placeholder = Idioma errado? Escolha o que foi falado
translation-unavailable = { $model } não sabe traduzir, e o modelo de tradução { $translator } não está disponível
translation-invented = a tradução tinha palavras que não estão no áudio, então a transcrição é desenhada
plain-text = { $text }

button-reroll = Refazer
button-edit = Editar descrição
button-delete = Apagar
button-cancel = Cancelar
button-vary = V{ $number }
button-upscale = U{ $number }
button-zoom = Afastar { $factor }×
button-draw = Desenhar isso

form-edit-title = Editar descrição
form-prompt = Descrição
form-negative = Descrição negativa
form-heard = O que ouvi (referência; não é usado)
field-parameters = Parâmetros
button-vary-subtle = Variar (sutil)
button-vary-strong = Variar (forte)
button-upscale-subtle = Ampliar (sutil)
button-upscale-creative = Ampliar (criativo)
button-zoom-custom = Zoom personalizado
button-square = Deixar quadrada
form-remix-title = Remix
form-zoom-title = Zoom personalizado
form-zoom-factor = Afastar (de 1 a 2)
drawn-from-vary-subtle = Variação sutil de
drawn-from-vary-strong = Variação forte de
drawn-from-upscale-subtle = Ampliação sutil de
drawn-from-upscale-creative = Ampliação criativa de
drawn-from-square = Deixada quadrada a partir de
