help = **Fale, e eu desenho.**
    • `/imaginar descrição:<texto>` — ou anexe `áudio:` (uma mensagem de voz ou arquivo de áudio) e eu desenho o que você disser, em qualquer idioma (primeiro traduzo para o inglês).
    • Clique com o botão direito em uma mensagem de voz → *Apps* → **Imaginar a partir do áudio** ou **Transcrever mensagem de voz** (idioma, transcrição e tradução em inglês; depois 🎨 *Desenhar isso* ou ✏️ edite antes).
    • `idioma:` diz qual idioma você fala (padrão: detectado); num pedido de voz, o menu **Idioma errado?** ouve de novo no idioma que você escolher.
    • Opções: `seed` (mesma seed + mesmas opções = mesma imagem), `orientação` (1–20: o quanto seguir a descrição ao pé da letra), `passos` (mais = mais lento e mais detalhado), `quantidade` (de imagens), `negativo` (o que deixar de fora), `formato` ou `proporção` (16:9, 2:3…), `modelo`, `sampler`, `estilo` (um visual que o modelo oferece), `rápido` (poucos passos rápidos).
    • `imagem:` desenha a partir da sua própria imagem (PNG, JPEG ou WebP); `intensidade` 0,05–1 diz o quanto se afastar dela.
    • Enquanto eu desenho, a mensagem mostra suas imagens tomando forma; botões, parâmetros e modo Remix estão abaixo.
    • 🎙️ Responda a uma das minhas imagens com uma mensagem de voz (“agora à noite”) e eu faço um remix: mesmo modelo, tamanho e seed, suas palavras como nova descrição.
    • Todo resultado mostra idioma detectado, transcrição, tradução, descrição, seed, orientação, passos, tamanho e modelo, para você poder refazer.
    • `/fila` mostra sua posição; `/status` mostra onde estou rodando.

queue-head = Fila: { $waiting } esperando, { $drawing ->
    [0] nenhum sendo desenhado
   *[other] { $drawing } sendo desenhados
}.
queue-drawing-now = sendo desenhado agora
queue-state = { $state ->
    [queued] na fila
    [listening] ouvindo
    [waiting] esperando
   *[other] { $state }
}
queue-listening = (ouvindo…)
queue-none-yours = Você não tem pedidos na fila.

status-none-loaded = nenhum carregado ainda
status-models = Whisper: { $speech } · modelo de imagem: `{ $image }` — { $status }
status-device = Dispositivo: { $device }
status-jobs = Pedidos feitos: { $done }; esperando: { $waiting }
status-average-listening = Tempo médio ouvindo: { NUMBER($seconds, minimumFractionDigits: 1) } s
status-average-drawing = Tempo médio desenhando: { NUMBER($seconds, minimumFractionDigits: 1) } s

settings-title = Configurações deste servidor
settings-saved = Salvo.
settings-not-admin = Você precisa da permissão Gerenciar servidor para mudar minhas configurações.
settings-no-content-intent = O modo automático e os canais de transcrição precisam do intent Message Content, que este bot não pede. Quem cuida do bot precisa ativar *Message Content Intent* no Discord Developer Portal (Bot → Privileged Gateway Intents), definir `discord.message_content_intent = true` (ou `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) e reiniciá-lo. Até lá, use o menu *Imaginar a partir do áudio* em uma mensagem de voz.
settings-whisper-model = Modelo Whisper
settings-image-model = Modelo de imagem
settings-voice = Mensagens de voz
settings-voice-auto = automático em { $where }
settings-voice-off = desligado (use o menu de contexto)
settings-everywhere = todos os canais
settings-transcribed = Transcritas, não desenhadas
settings-nowhere = nenhum
settings-defaults = Padrões
settings-defaults-value = orientação { $guidance }, { $steps ->
    [one] { $steps } passo
    [many] { $steps } passos
   *[other] { $steps } passos
}, { $count ->
    [one] { $count } imagem
    [many] { $count } imagens
   *[other] { $count } imagens
}
settings-per-user = Pedidos por pessoa
settings-buttons = Botões
settings-buttons-requester = só quem pediu
settings-anyone = qualquer pessoa
settings-nsfw = NSFW
settings-nsfw-value = imagens marcadas { $action ->
    [spoiler] enviadas como spoiler
   *[withhold] retidas
} fora dos canais NSFW; filtro { $checker ->
    [off] desligado
   *[on] ligado
} nos canais NSFW
settings-banned = Palavras proibidas
settings-none = nenhuma
settings-language = Idioma das mensagens
settings-text-remixes = Remix por resposta escrita
settings-on = ligado
settings-off = desligado
language-auto = automático (detectar)
help-buttons-title = Botões num resultado
help-buttons = 🎲 refazer, ✏️ editar a descrição, 🗑️ apagar. Numa grade, **V1…** varia essa imagem e **U1…** a desenha com o dobro do tamanho (mesma seed).
    Numa imagem só: 🪄 **Variar** (sutil ou forte), ⬆️ **Ampliar** (sutil: mais nítida, a mesma imagem; criativo: detalhes novos), 🔍 afastar 2× ou 1,5×, **Zoom personalizado** (um fator de 1 a 2 e uma nova descrição), ↔️ **Deixar quadrada** (se não for) e ⬅➡⬆⬇ para estender para esse lado: os pixels dela ficam.
help-parameters-title = Parâmetros na descrição
help-parameters = Coloque no fim de uma descrição digitada: `--ar 16:9` o formato, `--no text, people` o que deixar de fora, `--seed 42`, `--steps 30`, `--chaos 0-100` o quanto as imagens de uma grade diferem, `--stylize 0-1000` o quanto eu desenho livre (100 é o normal; menos segue mais a descrição). Opções como `seed:` valem mais. O que você fala em voz alta nunca é lido como parâmetro.
help-remix-title = Modo Remix
help-remix = `/remix` liga ou desliga para você: uma variação ou 🎲 refazer abre antes a descrição para você mudar (parâmetros também). Um servidor pode deixá-lo como padrão em `/configurações`.
remix-mode-on = 🎛️ O modo Remix está **ligado**: uma variação ou um refazer abre antes a descrição para você mudar. `/remix` de novo desliga.
remix-mode-off = O modo Remix está **desligado**: variações e refazer são desenhados na hora.
settings-remix-mode = Modo Remix (padrão)
settings-previews = Prévias ao vivo
